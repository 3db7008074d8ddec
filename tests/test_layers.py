"""Imports run one way: each room imports only the rooms below it (the order each package's
__init__.py declares). Read from the source with `ast`, so an import added anywhere, even inside a
function, is caught; `if TYPE_CHECKING:` imports are exempt (they do not run)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Rank of each room: a module may import its own room and rooms of a lower rank only, so rooms of
# one rank (index.formats and index.store; qa.retrieval, qa.checks and qa.dated) never import each
# other and no two rooms can import each other (no cycle between packages).
RANKS = {
    "index.types": 0,
    "index.news": 1,
    "index.formats": 2,
    "index.store": 2,
    "index": 3,  # ingest, chunking, embedder at the top of index/
    "qa.shared": 4,  # qa/types.py settings.py words.py synonyms.py quoting.py
    "qa.asking": 5,
    "qa.retrieval": 6,
    "qa.checks": 6,
    "qa.dated": 6,
    "qa.extractive": 7,
    "qa.llm": 8,
    "qa.engine": 9,
    "ui": 10,
    "eval": 10,
}
# The edges use each other: the CLI runs the evaluations, the evaluations go offline as ui does.
EDGES = frozenset(["ui", "eval"])
ROOMS_OF_INDEX = ("types", "news", "formats", "store")
ROOMS_OF_QA = ("asking", "retrieval", "checks", "dated", "extractive", "llm", "engine")


def room(module: str) -> str | None:
    """The room of a dotted module name, None for a module not of ours."""
    parts = module.split(".")
    if parts[0] in ("ui", "eval"):
        return parts[0]
    sub = parts[1] if len(parts) > 1 else ""
    if parts[0] == "index":
        return f"index.{sub}" if sub in ROOMS_OF_INDEX else "index"
    if parts[0] == "qa":
        return f"qa.{sub}" if sub in ROOMS_OF_QA else "qa.shared"
    return None


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of the imports under `if TYPE_CHECKING:`."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines |= {n.lineno for b in node.body for n in ast.walk(b) if hasattr(n, "lineno")}
    return lines


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the file; `from qa.extractive import story` names
    qa.extractive.story."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def violations(paths: list[Path], root: Path = ROOT) -> list[str]:
    out: list[str] = []
    for path in paths:
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        mine = room(module)
        if mine is None:
            continue
        for line, name in imported(path):
            theirs = room(name)
            if theirs is None or theirs == mine or {mine, theirs} <= EDGES:
                continue
            if RANKS[theirs] >= RANKS[mine]:
                out.append(f"{path.relative_to(root)}:{line} {mine} imports {name} ({theirs})")
    return out


def _sources() -> list[Path]:
    return sorted(p for top in ("index", "qa", "ui", "eval") for p in (ROOT / top).rglob("*.py"))


def test_imports_run_one_way() -> None:
    assert violations(_sources()) == []


def test_an_import_against_the_order_is_caught(tmp_path: Path) -> None:
    # the check itself: a module of qa/asking importing the extractive answerer is refused, the
    # same import only for type checking is not
    probe = tmp_path / "qa" / "asking" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "from qa.extractive.compose import compose\n"
        "if TYPE_CHECKING:\n"
        "    from qa.llm.answer import Fallback\n",
        encoding="utf-8",
    )
    assert violations([probe], tmp_path) == [
        "qa/asking/probe.py:2 qa.asking imports qa.extractive.compose.compose (qa.extractive)"
    ]


@pytest.mark.parametrize(
    "package",
    sorted({p.parent for p in _sources() if p.name == "__init__.py"}),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_each_package_says_what_it_owns_and_imports(package: Path) -> None:
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{package.relative_to(ROOT)}/__init__.py has no docstring"
    assert "import" in doc.lower(), f"{package.relative_to(ROOT)}: say what it may import"
