"""Stage base: resolve `llm.base_model` into models/base/ (the bundled model as safetensors, or a pointer)."""

import argparse
from pathlib import Path

from toxsynth import stage
from toxsynth.config import Params
from toxsynth.llm.base import LLMParams, materialize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", type=Path, default=Path("models/base"))
    args = parser.parse_args()
    materialize(Params(args.params).section(LLMParams, "llm"), args.out)


if __name__ == "__main__":
    stage.run(main)
