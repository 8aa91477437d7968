"""The layers point down: no module imports from a layer above its own, or a private name from
another package.

Read from the source with `ast`, not with import-linter: the rule is two tables and forty lines,
it needs no dependency, and it also checks what import-linter does not (private names across
packages, every module placed in a layer). Every import counts: at module level, inside a
function (the lazy imports that keep `perfbot --help` fast), and under `TYPE_CHECKING` (a type
named from a higher layer is a dependency on it all the same). ARCHITECTURE.md draws the same
tables.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Top to bottom. A unit may import its own modules and any unit of a lower layer; the units of
# one layer are independent of each other. A unit is the longest dotted prefix listed.
WORKFLOWS_LAYERS: tuple[tuple[str, ...], ...] = (
    ("bot",),
    ("workflows.cli",),
    ("workflows.bisect",),
    ("workflows.local", "workflows.init"),
    ("workflows.pipeline",),
    ("workflows.config",),
    ("workflows.changepoints",),
    ("workflows.history", "workflows.horreum"),
    ("workflows.compare",),
    ("workflows.results",),
    (
        "workflows.argo",
        "workflows.argo_submission",
        "workflows.argo_validate",
        "workflows.callback",
    ),
    ("workflows.labels", "workflows.untrusted", "workflows.errors", "workflows.argo_values"),
)

# Inside the bot, the same rule one level down: `bot.server` composes everything; the views
# (`triggers`, `callback`) sit above the commands and Horreum, which sit above what a run and a
# result are; below them what one delivery carries and how calls leave; at the bottom what
# every part shares and the GitHub interface.
BOT_LAYERS: tuple[tuple[str, ...], ...] = (
    ("bot.server",),
    ("bot.triggers", "bot.callback"),
    ("bot.commands", "bot.horreum"),
    ("bot.runs", "bot.results", "bot.dashboard"),
    ("bot.delivery", "bot.outbound"),
    ("bot.shared",),
    ("bot.github",),
)

# The one import that points up, each with why it stays; a test below fails once it is gone.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    ("workflows.config", "workflows.pipeline.sizing"): (
        "a job is refused at load when its pods cannot fit a node; the rule lives beside the "
        "template it sizes, and is imported inside the validator"
    ),
}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str  # dotted module name, or module.name for `from module import name`
    names: tuple[str, ...]
    where: str  # path:line, for the message


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imports_in(root: Path, tops: Sequence[str]) -> Iterator[tuple[Import, Path]]:
    """Every import of a module under `tops`, wherever it stands in the file."""
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            importer = module_name(path, root)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        yield Import(importer, alias.name, (), where), path
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = tuple(alias.name for alias in node.names)
                    yield Import(importer, node.module, names, where), path


def unit_of(module: str, layers: Sequence[Sequence[str]]) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for depth, layer in enumerate(layers):
        for unit in layer:
            if (module == unit or module.startswith(unit + ".")) and (
                best is None or len(unit) > len(best[1])
            ):
                best = (depth, unit)
    return best


def upward_imports(
    root: Path, tops: Sequence[str], layers: Sequence[Sequence[str]]
) -> list[tuple[str, str, str]]:
    """(importer, imported module, where) for each import of a higher layer or a sibling unit."""
    found = []
    for imp, _ in imports_in(root, tops):
        source = unit_of(imp.importer, layers)
        if source is None:
            continue
        # `from bot import dashboard` imports the unit of `bot.dashboard`, not of `bot`
        for target_name in [f"{imp.imported}.{name}" for name in imp.names] or [imp.imported]:
            target = unit_of(target_name, layers) or unit_of(imp.imported, layers)
            if target is not None and target[1] != source[1] and target[0] <= source[0]:
                shown = imp.imported if unit_of(imp.imported, layers) else target_name
                found.append((imp.importer, shown, imp.where))
    return found


def unplaced_modules(root: Path, tops: Sequence[str], layers: Sequence[Sequence[str]]) -> list[str]:
    return sorted(
        name
        for top in tops
        for path in (root / top).rglob("*.py")
        if (name := module_name(path, root)) not in tops and unit_of(name, layers) is None
    )


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_imports(root: Path, tops: Sequence[str]) -> list[str]:
    """`from a.b import _name` where `_name` belongs to another package than the importer's."""
    found = []
    for imp, path in imports_in(root, tops):
        importer_package = package_of(imp.importer, path)
        imported_is_package = (root / Path(*imp.imported.split("."))).is_dir()
        owner = imp.imported if imported_is_package else imp.imported.rpartition(".")[0]
        for name in imp.names:
            if private(name) and owner != importer_package:
                found.append(f"{imp.where}: {imp.importer} takes {imp.imported}.{name}")
        if any(map(private, imp.imported.split("."))) and owner != importer_package:
            found.append(f"{imp.where}: {imp.importer} takes {imp.imported}")
    return found


TABLES = {
    "workflows": (("workflows", "bot"), WORKFLOWS_LAYERS),
    "bot": (("bot",), BOT_LAYERS),
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_no_module_imports_a_higher_layer_or_a_sibling(table: str) -> None:
    tops, layers = TABLES[table]
    found = [
        f"{where}: {importer} imports {imported}"
        for importer, imported, where in upward_imports(ROOT, tops, layers)
        if (importer, imported) not in ALLOWED_UPWARD
    ]
    assert found == []


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_module_has_a_place_in_the_layers(table: str) -> None:
    tops, layers = TABLES[table]
    assert unplaced_modules(ROOT, tops, layers) == []


def test_each_allowed_upward_import_still_happens() -> None:
    tops, layers = TABLES["workflows"]
    happening = {(i, m) for i, m, _ in upward_imports(ROOT, tops, layers)}
    assert set(ALLOWED_UPWARD) <= happening


def test_no_module_imports_a_private_name_from_another_package() -> None:
    assert private_imports(ROOT, ("workflows", "bot", "bench")) == []


# The checker itself, on small trees: what it must find and what it must let pass.
TOY_LAYERS = (("app.top",), ("app.mid", "app.side"), ("app.low",))


def toy(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"app/__init__.py": "", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        for parent in path.relative_to(tmp_path).parents:
            if str(parent) != ".":
                (tmp_path / parent / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("from app.top.view import page\n", True),  # up
        ("from app.side import thing\n", True),  # a sibling
        ("def f():\n    from app.top import view\n", True),  # lazy, still up
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.top.view\n", True),
        ("from app.low.model import Row\n", False),  # down
        ("from app.mid import helper\n", False),  # its own unit
        ("import json\n", False),  # outside the table
    ],
)
def test_the_checker_flags_imports_that_point_up_or_sideways(
    tmp_path: Path, source: str, flagged: bool
) -> None:
    root = toy(
        tmp_path,
        {
            "app/top/view.py": "",
            "app/mid/core.py": source,
            "app/mid/helper.py": "",
            "app/side/thing.py": "",
            "app/low/model.py": "",
        },
    )
    assert bool(upward_imports(root, ("app",), TOY_LAYERS)) is flagged


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("from app.low.model import _secret\n", True),  # another package's private name
        ("from app.low import _hidden\n", True),  # a private module of another package
        ("from app.mid.helper import _own\n", False),  # its own package
        ("from app.low.model import public\n", False),
        ("from app.low.model import __version__\n", False),  # dunder names are public
    ],
)
def test_the_checker_flags_private_names_taken_across_packages(
    tmp_path: Path, source: str, flagged: bool
) -> None:
    root = toy(
        tmp_path,
        {"app/mid/core.py": source, "app/mid/helper.py": "", "app/low/model.py": ""},
    )
    assert bool(private_imports(root, ("app",))) is flagged


def test_the_checker_finds_a_module_outside_every_layer(tmp_path: Path) -> None:
    root = toy(tmp_path, {"app/stray.py": "", "app/low/model.py": ""})
    assert unplaced_modules(root, ("app",), TOY_LAYERS) == ["app.stray"]
