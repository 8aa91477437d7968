"""The README is the newcomer's entry point: its commands and links must stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def readme(project_root: Path) -> str:
    return (project_root / "README.md").read_text()


def test_ci_runs_the_readmes_test_command_then_the_cluster_loop(
    project_root: Path, readme: str
) -> None:
    assert "make test" in readme
    assert "make e2e" in readme
    ci = (project_root / ".ci/run").read_text()
    test = re.search(r"^VENV=.*make test$", ci, re.M)
    e2e = re.search(r"^VENV=.*make e2e$", ci, re.M)
    assert test
    assert e2e
    assert test.start() < e2e.start()


def test_the_makefile_has_both_readme_targets(project_root: Path, readme: str) -> None:
    makefile = (project_root / "Makefile").read_text()
    for target in ("demo", "test", "e2e"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_every_relative_link_in_the_readme_exists(project_root: Path, readme: str) -> None:
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    assert links
    missing = [link for link in links if not (project_root / link).exists()]
    assert missing == []


def test_every_example_file_the_readme_names_exists(project_root: Path, readme: str) -> None:
    paths = set(re.findall(r"\b(examples/[\w./-]+\.json)\b", readme))
    assert paths
    assert [p for p in paths if not (project_root / p).is_file()] == []


def test_every_config_file_a_readme_command_names_exists(project_root: Path, readme: str) -> None:
    """A newcomer copies `perfbot render --config X`: X must be there."""
    paths = set(re.findall(r"perfbot \w+ [^`\n]*--config (\S+?)[`\s]", readme))
    assert paths
    assert [p for p in paths if not (project_root / p).is_file()] == []


def test_the_cli_table_lists_every_subcommand(readme: str) -> None:
    from workflows.cli import SUBCOMMANDS

    listed = set(re.findall(r"^\| `perfbot (\w+)", readme, re.M))
    assert sorted(set(SUBCOMMANDS) - listed) == []
    assert sorted(listed - set(SUBCOMMANDS)) == []


def test_the_readme_names_every_kind_perfbot_init_detects(readme: str) -> None:
    from workflows.init.kinds import DETECTORS

    section = readme[readme.index("## Your own project") : readme.index("## The CLI")]
    named = {
        "make": "Makefile `bench` target",
        "pytest-benchmark": "pytest-benchmark",
        "go": "go test -bench",
        "google-benchmark": "Google Benchmark",
        "hyperfine": "`hyperfine`",
    }
    assert sorted(named) == sorted(kind for kind, _ in DETECTORS)
    assert [kind for kind, words in named.items() if words not in section] == []
    for command in ("perfbot init", "perfbot run --local --base HEAD", "--record"):
        assert command in section
