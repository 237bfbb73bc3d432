"""Every stage's deps in dvc.yaml name exactly the files under src/ that its script can import."""

from __future__ import annotations

import pytest

from tests.stage_imports import ROOT, closure, covered, script_of, stages

PACKAGE_DATA = {"src/toxsynth/llm/prompts.py": "src/toxsynth/llm/templates"}  # module -> the files it reads


@pytest.mark.parametrize("name", sorted(stages()))
def test_stage_deps_cover_exactly_the_code_it_imports(name):
    stage = stages()[name]
    imported, listed = closure(script_of(stage)), covered(stage)
    missing = sorted(str(p.relative_to(ROOT)) for p in imported - listed)
    extra = sorted(str(p.relative_to(ROOT)) for p in listed - imported)
    assert not missing, f"{name} runs these files but dvc.yaml does not list them: {missing}"
    assert not extra, f"{name} lists files it never imports (a change would rerun it for nothing): {extra}"
    assert script_of(stage) in stage["deps"], f"{name} must depend on its own script"
    for module, data in PACKAGE_DATA.items():
        assert (ROOT / module not in imported) or data in stage["deps"], f"{name} runs {module}, which reads {data}"


def test_closure_follows_lazy_imports_package_inits_and_the_adapter_registry():
    prepare = {str(p.relative_to(ROOT)) for p in closure("stages/prepare.py")}
    assert "src/toxsynth/__init__.py" in prepare and "src/toxsynth/data/__init__.py" in prepare
    assert "src/toxsynth/data/adapters/olid.py" in prepare  # imported by name through pkgutil in adapters/__init__
    cli = {str(p.relative_to(ROOT)) for p in closure("src/toxsynth/cli.py")}
    assert "src/toxsynth/classifier/runtime.py" in cli  # imported inside a function
