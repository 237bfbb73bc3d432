"""An append-only record of finished generation batches, so a killed run continues where it stopped.

One JSON line per finished batch: {"batch": <key>, "responses": {request_id: text}}, where the key hashes the
batch's position and its requests (ids and prompts), so a batch is only ever replayed for the very same requests.
A backend that answers requests one by one (the OpenAI-compatible one) also writes {"batch": <key>, "request": id,
"response": text} as each request finishes, so a resumed batch asks only for the responses it is missing.
Each line is flushed and fsync'ed before the next batch starts, so a kill loses at most the batch in flight; a torn
last line (the process died mid-write) is cut off on the next open. A journal belongs to one fingerprint of
everything that shapes the output (params, model weights, adapter, few-shot pool, templates, the generator's code,
seed); journals of other fingerprints in the same folder are removed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class Journal:
    def __init__(self, folder: Path, fingerprint: str):
        folder.mkdir(parents=True, exist_ok=True)
        for other in folder.glob("*.jsonl"):
            if other.stem != fingerprint:
                other.unlink()
        self.path = folder / f"{fingerprint}.jsonl"
        self.responses: dict[str, str] = {}
        self.batches: dict[str, dict[str, str]] = {}  # batch key -> its responses
        self.partial: dict[str, dict[str, str]] = {}  # batch key -> responses of an unfinished batch, so far
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        good = 0
        for line in data.splitlines(keepends=True):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                break  # a torn write at the end: everything after it is dropped
            if not line.endswith(b"\n"):
                break
            if "request" in entry:
                self.partial.setdefault(entry["batch"], {})[entry["request"]] = entry["response"]
            else:
                self.batches[entry["batch"]] = entry["responses"]
                self.responses.update(entry["responses"])
            good += len(line)
        if good != len(data):
            with open(self.path, "r+b") as f:
                f.truncate(good)

    def append(self, batch: str, responses: dict[str, str]) -> None:
        self._write({"batch": batch, "responses": responses})
        self.batches[batch] = responses
        self.responses.update(responses)

    def append_request(self, batch: str, request: str, response: str) -> None:
        self._write({"batch": batch, "request": request, "response": response})
        self.partial.setdefault(batch, {})[request] = response

    def _write(self, entry: dict) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
