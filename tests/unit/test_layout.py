"""The layout keeps its promises: no module can shadow the standard library or a dependency, and
one module alone defines the Prefect flows.

A deployment's worker loads ``flows/definitions.py`` by its path, which puts ``flows/`` first on
``sys.path`` for the flow run and every process it spawns (the extraction workers):
``flows/http.py`` once shadowed the standard library's ``http`` there. Any folder of ours could
be such a folder, so no module or package anywhere in the tree may take a name that the
standard library or an installed distribution uses at the top level.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("flows", "extractors", "warehouse", "scripts")


def taken_names() -> set[str]:
    """Top-level names of the standard library and of every installed distribution but ours."""
    ours = {"flows", "extractors", "warehouse"}
    installed = {
        name for name, dists in packages_distributions().items() if dists != ["koreawatch"]
    }
    return set(sys.stdlib_module_names) | (installed - ours)


def module_names() -> list[tuple[Path, str]]:
    found = []
    for top in CODE:
        for path in (ROOT / top).rglob("*"):
            if "__pycache__" in path.parts or "sample_corpus" in path.parts:
                continue
            if path.suffix == ".py" and path.stem != "__init__":
                found.append((path, path.stem))
            elif path.is_dir() and (path / "__init__.py").exists():
                found.append((path, path.name))
    return found


def test_no_module_shares_a_name_with_the_standard_library_or_a_dependency() -> None:
    taken = taken_names()
    assert {"http", "email", "io", "types", "typer", "prefect"} <= taken  # the check can see
    clashes = [str(path.relative_to(ROOT)) for path, name in module_names() if name in taken]
    assert clashes == []


def test_only_flows_definitions_defines_flows() -> None:
    decorated = re.compile(r"^\s*@(?:prefect\.)?flow\b", re.M)
    with_flows = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "flows").rglob("*.py")
        if decorated.search(path.read_text(encoding="utf-8"))
    ]
    assert with_flows == ["flows/definitions.py"]


def test_deployments_point_only_at_flows_definitions() -> None:
    text = (ROOT / "deploy" / "prefect.yaml").read_text(encoding="utf-8")
    entrypoints = re.findall(r"^\s*entrypoint:\s*(\S+)", text, re.M)
    assert len(entrypoints) == 4
    assert {e.partition(":")[0] for e in entrypoints} == {"flows/definitions.py"}


def test_no_comment_cites_files_outside_the_repository() -> None:
    cited = [
        str(path.relative_to(ROOT))
        for top in (*CODE, "tests", "docs", "deploy")
        for path in (ROOT / top).rglob("*")
        if path.suffix in {".py", ".md", ".toml", ".yaml", ".sql"}
        and path != Path(__file__)
        and re.search(r"\b(NOTES|DESIGN)\.md\b", path.read_text(encoding="utf-8"))
    ]
    assert cited == []
