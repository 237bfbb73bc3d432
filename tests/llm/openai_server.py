"""A loopback OpenAI-compatible server for tests and benchmarks, backed by the real model (transformers backend).

Each request is sampled alone with its own seed, so a response depends only on its prompt, seed and sampling
params: a deterministic server. `faults` answers the first requests with the given HTTP codes (429, 500) to test
retries. Binds 127.0.0.1 only. `python -m tests.llm.openai_server --base models/base --port 8011` serves one.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from toxsynth.llm.backend import SamplingParams, TransformersBackend, chat_prompt
from toxsynth.llm.base import LLMParams, load


class LoopbackServer:
    def __init__(self, base_dir: Path, served_name: str = "toxsynth", faults: tuple[int, ...] = (),
                 adapter_dir: Path | None = None, port: int = 0):
        model, tokenizer = load(base_dir, LLMParams(dtype="float32"), adapter_dir, merge_adapter=True)
        self.backend = TransformersBackend(model, tokenizer, None)
        self.served_name, self.faults = served_name, list(faults)
        self.lock, self.generate_lock = threading.Lock(), threading.Lock()
        self.attempts, self.completed = 0, Counter()  # completed: (prompt, seed) -> times answered with 200
        self.in_flight = self.peak_in_flight = 0
        self.auth_headers: list[str | None] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str, body: dict) -> tuple[int, dict, dict]:
        """(status, json, headers) for one POST."""
        with self.lock:
            self.attempts += 1
            fault = self.faults.pop(0) if self.faults else None
        if fault:
            headers = {"retry-after-ms": "5"} if fault == 429 else {}
            return fault, {"error": {"message": f"injected {fault}", "type": "test"}}, headers
        if body.get("model") != self.served_name:  # as vLLM: only served names (a LoRA's --lora-modules NAME)
            return 404, {"error": {"message": f"The model `{body.get('model')}` does not exist."}}, {}
        tokenizer = self.backend.tokenizer
        chat = path.endswith("/chat/completions")
        text = chat_prompt(tokenizer, body["messages"][-1]["content"], "") if chat else body["prompt"]
        extra = body.get("repetition_penalty", 1.0)
        sampling = SamplingParams(body.get("temperature", 1.0), body.get("top_p", 1.0), extra,
                                  body.get("max_tokens", 16), "")
        seed = body.get("seed", 0)
        with self.generate_lock:
            self.backend.sampling = sampling
            reply = self.backend.complete([text], seed)[0]
        with self.lock:
            self.completed[(text, seed)] += 1
        tokens = len(tokenizer(reply, add_special_tokens=False)["input_ids"])
        choice = ({"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"} if chat
                  else {"index": 0, "text": reply, "finish_reason": "stop", "logprobs": None})
        return 200, {"id": f"cmpl-{self.attempts}", "object": "chat.completion" if chat else "text_completion",
                     "created": int(time.time()), "model": self.served_name, "choices": [choice],
                     "usage": {"prompt_tokens": 0, "completion_tokens": tokens, "total_tokens": tokens}}, {}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # prompts are data: nothing to the console
                pass

            def _send(self, status: int, payload: dict, headers: dict | None = None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/") == "/v1/models":
                    self._send(200, {"object": "list", "data": [
                        {"id": server.served_name, "object": "model", "created": 0, "owned_by": "tests"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.auth_headers.append(self.headers.get("Authorization"))
                    server.in_flight += 1
                    server.peak_in_flight = max(server.peak_in_flight, server.in_flight)
                try:
                    if self.path not in ("/v1/completions", "/v1/chat/completions"):
                        self._send(404, {"error": {"message": "not found"}})
                        return
                    self._send(*server.answer(self.path, body))
                finally:
                    with server.lock:
                        server.in_flight -= 1

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, default=Path("models/base"))
    parser.add_argument("--adapter", type=Path, default=None)
    parser.add_argument("--served-name", default="toxsynth")
    parser.add_argument("--port", type=int, default=8011)
    args = parser.parse_args()
    with LoopbackServer(args.base, args.served_name, adapter_dir=args.adapter, port=args.port) as server:
        print(f"serving {args.served_name} at {server.base_url}", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
