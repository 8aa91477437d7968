"""A step's bare `python` is the repository's own virtual environment when it has one.

Steps run in fresh worktrees of commits, where the untracked `.venv` does not exist, so a
relative `.venv/bin/python` cannot work; the runner puts the repository's venv first on PATH.
"""

from __future__ import annotations

import sys
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.local.conftest import ONE_RESULT, command_job
from workflows.cli import main
from workflows.local.containers import base_environment, project_bin

# The round fails (exit 9) unless `python` is the one of the venv at $WANT_PREFIX.
BENCH = f"""\
prefix=$(python -c 'import sys; print(sys.prefix)')
[ "$prefix" = "$WANT_PREFIX" ] || {{ echo "python is $prefix" >&2; exit 9; }}
echo '{ONE_RESULT}' > "$PERFBOT_RESULT"
"""


def make_venv(path: Path) -> None:
    venv.EnvBuilder(with_pip=False, symlinks=True).create(path)


@pytest.mark.parametrize(
    ("layout", "exit_code"),
    [
        (".venv", 0),
        ("venv", 0),
        (".venv-not-a-venv", 3),  # a directory named .venv without pyvenv.cfg is not one
        (None, 3),  # no venv: perfbot's own Python, as before
    ],
)
def test_a_bare_python_is_the_repositorys_untracked_venv(
    repo, tmp_path, monkeypatch, layout, exit_code
):
    job = command_job(repo, BENCH, 1)
    venv_dir = ".venv" if layout in (None, ".venv-not-a-venv") else layout
    monkeypatch.setenv("WANT_PREFIX", str(job / venv_dir))
    if layout == ".venv-not-a-venv":
        (job / ".venv" / "bin").mkdir(parents=True)
    elif layout is not None:
        make_venv(job / layout)

    result = CliRunner().invoke(
        main, ["run", "--local", "--repo", str(job), "--base", "HEAD~1", "--quiet",
               "--out", str(tmp_path / "out")],
    )  # fmt: skip

    assert result.exit_code == exit_code, result.output
    if exit_code == 0:
        assert f"steps run `python` from {job / layout / 'bin'}" in result.output


def test_the_project_venv_comes_before_perfbots_python_on_path(tmp_path):
    make_venv(tmp_path / ".venv")
    found = project_bin(tmp_path)
    assert found == tmp_path / ".venv" / "bin"
    path = base_environment({"PATH": "/usr/bin"}, first=found)["PATH"].split(":")
    assert path[0] == str(found)
    assert path[1] == str(Path(sys.executable).parent)


def test_without_a_venv_nothing_is_put_first(tmp_path):
    assert project_bin(tmp_path) is None
    path = base_environment({"PATH": "/usr/bin"}, first=None)["PATH"].split(":")
    assert path[0] == str(Path(sys.executable).parent)


def test_perfbot_is_still_found_by_its_own_steps(repo, tmp_path, monkeypatch):
    """The compare step runs `perfbot`: the project's venv, which lacks it, must not hide it."""
    job = command_job(repo, BENCH, 2)
    monkeypatch.setenv("WANT_PREFIX", str(job / ".venv"))
    make_venv(job / ".venv")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", "--local", "--repo", str(job), "--base", "HEAD~1", "--quiet",
               "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "report.json").is_file()
