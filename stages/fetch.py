"""Stage fetch: download (or copy from $TOXSYNTH_DATA_MIRROR) every source in params.yaml into data/raw/."""

import argparse
import logging
from pathlib import Path

from toxsynth import stage
from toxsynth.config import Params
from toxsynth.fetch import FetchParams, fetch_all, mirror_from_env
from toxsynth.sources import load_sources


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", default="data/raw")
    args = parser.parse_args()
    params = Params(args.params)
    errors = fetch_all(load_sources(params), Path(args.out), params.section(FetchParams, "fetch"), mirror_from_env())
    for error in errors:
        logging.error("%s", error)
    return 1 if errors else 0


if __name__ == "__main__":
    stage.run(main)
