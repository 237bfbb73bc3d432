"""Which files under src/ each DVC stage runs: the static import closure of its script, and what its deps cover."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
SCRIPT = re.compile(r"\bstages/\w+\.py\b")
DYNAMIC_PACKAGE = "importlib.import_module(f\"{__name__}."  # a package that imports every module beside it


def _module_file(name: str) -> Path | None:
    base = SRC.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _package_inits(name: str) -> set[Path]:
    """Importing a.b.c runs a/__init__.py and a/b/__init__.py first."""
    parts = name.split(".")
    return {p for i in range(1, len(parts)) if (p := _module_file(".".join(parts[:i]))) and p.name == "__init__.py"}


def _imported_names(path: Path) -> set[str]:
    """Every toxsynth module a file imports, at top level or inside functions (lazy imports count too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from pkg import module`
    return {n for n in names if n.split(".")[0] == "toxsynth"}


@cache
def closure(script: str) -> frozenset[Path]:
    """The files under src/ that running `script` can execute."""
    seen: set[Path] = set()
    todo = [ROOT / script]
    while todo:
        path = todo.pop()
        for name in _imported_names(path):
            found = _module_file(name)
            for file in ({found} if found else set()) | _package_inits(name):
                if file not in seen:
                    seen.add(file)
                    todo.append(file)
                    if file.name == "__init__.py" and DYNAMIC_PACKAGE in file.read_text(encoding="utf-8"):
                        todo += [p for p in file.parent.glob("*.py") if p not in seen and not seen.add(p)]
    return frozenset(seen)


def stages() -> dict[str, dict]:
    """dvc.yaml's stages, `foreach` ones under their template name (every item runs the same code)."""
    raw = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    return {name: stage.get("do", stage) for name, stage in raw.items()}


def script_of(stage: dict) -> str:
    return SCRIPT.search(stage["cmd"])[0]


def covered(stage: dict) -> frozenset[Path]:
    """The .py files under src/ that the stage's deps name, directly or through a directory."""
    files = set()
    for dep in stage.get("deps", []):
        path = ROOT / dep
        if path.is_dir():
            files |= set(path.rglob("*.py"))
        elif path.suffix == ".py" and path.is_relative_to(SRC):
            files.add(path)
    return frozenset(files)


def src_modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))
