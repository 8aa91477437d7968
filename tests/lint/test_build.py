"""Building the validator: once per source (a cache keyed on it), under a lock so parallel
callers share one build, and a plain message, not a silent pass, when Go is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workflows import argo_validate
from workflows.argo_validate import (
    BINARY_ENV,
    BUILDING,
    CACHE_ENV,
    GO_MISSING,
    TOOL_DIR,
    ValidatorUnavailable,
    source_key,
)

ROOT = Path(__file__).resolve().parents[2]


def build_command(cache: Path, path: str | None = None) -> subprocess.Popen:
    env = {**os.environ, CACHE_ENV: str(cache), BINARY_ENV: ""}
    if path is not None:
        env["PATH"] = path
    return subprocess.Popen(
        [sys.executable, "-m", "workflows.argo_validate"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def two_parallel_builds(validator, tmp_path_factory) -> tuple[Path, list[tuple[int, str, str]]]:
    """Two processes asking for the tool at once in an empty cache (Go's own build cache is
    warm from the session's validator, so this links rather than compiles)."""
    cache = tmp_path_factory.mktemp("cache")
    processes = [build_command(cache), build_command(cache)]
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=argo_validate.BUILD_TIMEOUT)
        outcomes.append((process.returncode, out.strip(), err))
    return cache, outcomes


def test_parallel_callers_share_one_build_and_get_the_same_binary(two_parallel_builds):
    cache, outcomes = two_parallel_builds

    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    [path] = {out for _, out, _ in outcomes}
    assert Path(path).is_file()
    assert Path(path).is_relative_to(cache)
    assert sum(BUILDING in err for _, _, err in outcomes) == 1


def test_a_second_call_reuses_the_cached_binary_without_building(two_parallel_builds):
    cache, outcomes = two_parallel_builds
    binary = Path(outcomes[0][1])
    before = binary.stat().st_mtime_ns

    process = build_command(cache)
    out, err = process.communicate(timeout=120)

    assert (process.returncode, out.strip()) == (0, str(binary))
    assert BUILDING not in err
    assert binary.stat().st_mtime_ns == before


def test_the_cache_leaves_no_partial_files_beside_the_binary(two_parallel_builds):
    _, outcomes = two_parallel_builds

    assert [p.name for p in Path(outcomes[0][1]).parent.iterdir()] == ["argo-validate"]


@pytest.mark.parametrize("changed", ["main.go", "go.sum"])
def test_the_cache_key_changes_with_the_source_and_the_dependencies(tmp_path, changed):
    go = argo_validate.go_executable()
    copy = tmp_path / "argo-validate"
    shutil.copytree(TOOL_DIR, copy)
    before = source_key(go, copy)

    with (copy / changed).open("a") as handle:
        handle.write("\n// changed\n")

    assert source_key(go, copy) != before


def test_a_build_failure_reports_gos_own_message(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(BINARY_ENV, raising=False)
    copy = tmp_path / "argo-validate"
    shutil.copytree(TOOL_DIR, copy)
    (copy / "broken.go").write_text("package main\n\nfunc broken() { undefinedName() }\n")

    with pytest.raises(ValidatorUnavailable, match="undefined: undefinedName"):
        argo_validate.ensure_built(tool_dir=copy)
    assert not [p for p in (tmp_path / "cache").rglob("argo-validate") if p.is_file()]


def test_without_go_the_build_step_fails_loudly_with_how_to_install_go(tmp_path):
    process = build_command(tmp_path / "cache", path=str(tmp_path))
    out, err = process.communicate(timeout=60)

    assert process.returncode == 2
    assert out == ""
    assert GO_MISSING in err


def test_a_prebuilt_binary_that_is_not_executable_is_refused(tmp_path, monkeypatch):
    not_executable = tmp_path / "argo-validate"
    not_executable.write_text("")
    monkeypatch.setenv(BINARY_ENV, str(not_executable))

    with pytest.raises(ValidatorUnavailable, match="is not an executable file"):
        argo_validate.ensure_built()
