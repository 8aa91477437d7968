"""`{{...}}` substitution and the container-path rewriting rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows.local.paths import PathMap
from workflows.local.variables import UnknownVariable, item_scope, substitute

SCOPE = {"inputs.parameters.side": "base", "workflow.name": "wf-1", "item": "3"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{inputs.parameters.side}}", "base"),
        ("{{ inputs.parameters.side }}", "base"),
        ("/results/{{inputs.parameters.side}}/x", "/results/base/x"),
        ("{{workflow.name}}-{{item}}", "wf-1-3"),
        ("no variables", "no variables"),
    ],
)
def test_variables_are_substituted(text: str, expected: str) -> None:
    assert substitute(text, SCOPE, "step") == expected


def test_an_unknown_variable_is_an_error_naming_the_step() -> None:
    with pytest.raises(
        UnknownVariable, match=r"step build-base: unknown variable \{\{tasks\.x\}\}"
    ):
        substitute("{{tasks.x}}", SCOPE, "build-base")


def test_expression_templates_are_refused_with_a_hint() -> None:
    with pytest.raises(UnknownVariable, match="expression templates"):
        substitute("{{=sprig.upper('a')}}", SCOPE, "s")


def test_substituted_values_are_not_substituted_again() -> None:
    scope = {"inputs.parameters.ref": "{{workflow.name}}"}
    assert substitute("{{inputs.parameters.ref}}", scope, "s") == "{{workflow.name}}"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("a", {"item": "a"}),
        (3, {"item": "3"}),
        (True, {"item": "true"}),
        (
            {"os": "linux", "n": 2},
            {"item": '{"n":2,"os":"linux"}', "item.os": "linux", "item.n": "2"},
        ),
    ],
)
def test_items_are_formatted_as_argo_does(item: object, expected: dict[str, str]) -> None:
    assert item_scope(item) == expected


@pytest.fixture
def path_map(tmp_path: Path) -> PathMap:
    paths = PathMap()
    paths.add("/data", tmp_path / "vol")
    paths.add("/data/src", tmp_path / "src")
    paths.add("/results/base", tmp_path / "out")
    return paths


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/data", "{vol}"),
        ("/data/build/x", "{vol}/build/x"),
        ("/data/src/main.py", "{src}/main.py"),  # longest prefix wins
        ("--out=/results/base/r1.json", "--out={out}/r1.json"),
        ("cd /data && ls /data/src", "cd {vol} && ls {src}"),
        ('"/data/a"', '"{vol}/a"'),
        ("/database", "/database"),  # not at a path boundary
        ("a/data", "a/data"),
        ("$HOME/data", "$HOME/data"),
        ("${DIR}/data", "${{DIR}}/data"),
        ("/results/baseline", "/results/baseline"),
    ],
)
def test_container_paths_are_rewritten_at_path_boundaries(
    path_map: PathMap, tmp_path: Path, text: str, expected: str
) -> None:
    local = {"vol": tmp_path / "vol", "src": tmp_path / "src", "out": tmp_path / "out"}
    assert path_map.rewrite(text) == expected.format(**local)


def test_a_container_path_resolves_to_its_local_directory(
    path_map: PathMap, tmp_path: Path
) -> None:
    assert path_map.local("/data/src/a/b") == tmp_path / "src" / "a" / "b"
    assert path_map.local("/elsewhere") is None


def test_the_container_root_cannot_be_mapped(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="root"):
        PathMap().add("/", tmp_path)
