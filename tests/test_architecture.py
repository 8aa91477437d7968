"""ARCHITECTURE.md stays true: every module and path it names exists, its code map draws the
layers tests/test_layers.py checks, and the invariants it states without a test of their own
are checked here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.test_layers import BOT_LAYERS, WORKFLOWS_LAYERS, imports_in

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "ARCHITECTURE.md"
TOPS = ("bot", "workflows", "tests", "templates", "deploy", "docs", "bench", "tools", "examples")
DOTTED = re.compile(r"^(?:bot|workflows)(?:\.\w+)+$")


def named(text: str) -> list[str]:
    """Every backticked dotted module path or project path in the text."""
    spans = re.findall(r"`([^`\s]+)`", text)
    return sorted(
        {s for s in spans if DOTTED.match(s) or (s.split("/")[0] in TOPS and "/" in s)}
        - {"perf-<job>"}
    )


def top_level_names(path: Path) -> set[str]:
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found


def exists(name: str, root: Path = ROOT) -> bool:
    """A path, a module or package, or one top-level name of a module (`a.b.Name`)."""
    if not DOTTED.match(name):
        return (root / name).exists()
    parts = name.split(".")
    as_path = root.joinpath(*parts)
    if as_path.with_suffix(".py").is_file() or (as_path / "__init__.py").is_file():
        return True
    module = root.joinpath(*parts[:-1])
    for source in (module.with_suffix(".py"), module / "__init__.py"):
        if source.is_file():
            return parts[-1] in top_level_names(source)
    return False


def code_map_rows(text: str, heading: str) -> list[tuple[str, ...]]:
    """The first column of the table after `heading`, one tuple of module names per row."""
    after = text.split(heading, 1)[1]
    table = re.search(r"\| Package \| Owns \|\n\| --- \| --- \|\n((?:\|.*\n)+)", after)
    assert table, heading
    return [
        tuple(re.findall(r"`([\w.]+)`", row.split("|")[1])) for row in table.group(1).splitlines()
    ]


def test_every_module_and_path_it_names_exists() -> None:
    missing = [name for name in named(DOC.read_text(encoding="utf-8")) if not exists(name)]
    assert missing == []


def test_it_names_the_modules_of_both_walks() -> None:
    """Not vacuous: the walks name dozens of modules, among them both ends of each."""
    names = named(DOC.read_text(encoding="utf-8"))
    assert len(names) > 50
    for end in ("bot.triggers.webhook", "bot.results.sticky", "workflows.local.reports"):
        assert end in names


def test_the_code_map_of_workflows_is_the_layer_table_bottom_up() -> None:
    rows = code_map_rows(DOC.read_text(encoding="utf-8"), "`workflows/` is the library")
    assert [set(r) for r in rows] == [
        set(layer) for layer in WORKFLOWS_LAYERS[::-1] if layer != ("bot",)
    ]


def test_the_code_map_of_the_bot_is_the_layer_table_bottom_up() -> None:
    rows = code_map_rows(DOC.read_text(encoding="utf-8"), "`bot/` is the GitHub App")
    assert [set(r) for r in rows] == [set(layer) for layer in BOT_LAYERS[::-1]]


def test_only_the_github_client_imports_pygithub() -> None:
    importers = {
        imp.importer
        for imp, _ in imports_in(ROOT, ("bot", "workflows"))
        if imp.imported == "github" or imp.imported.startswith("github.")
    }
    assert importers == {"bot.outbound.github_client"}


def test_workflows_knows_nothing_of_flask_or_github() -> None:
    found = [
        imp.where
        for imp, _ in imports_in(ROOT, ("workflows",))
        if imp.imported.split(".")[0] in {"flask", "github", "bot"}
    ]
    assert found == []


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("bot.triggers.webhook", True),  # a module
        ("bot.runs", True),  # a package
        ("workflows.callback.CallbackPayload", True),  # a class of a module
        ("bot.webhook", False),  # a module that moved
        ("workflows.callback.NoSuchThing", False),
        ("tests/test_layers.py", True),
        ("docs/no-such-page.md", False),
    ],
)
def test_a_name_is_found_only_where_it_is(name: str, found: bool) -> None:
    assert exists(name) is found


def test_names_are_read_from_backticks_only() -> None:
    text = "the `bot.runs.status` module, `tests/x.py`, bot.plain, `perfbot run --local`"
    assert named(text) == ["bot.runs.status", "tests/x.py"]
