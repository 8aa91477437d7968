"""The real-Horreum harness's own logic, without Horreum: these run in `make test`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.horreum_real import build, stack

COMMIT = "df03321769395cbbda2063c30a4a268dc08b5b86"


def archive(path: Path, comment: str | None) -> Path:
    """A tar.xz as `git archive` makes it: the commit in the global pax header's comment."""
    headers = {"comment": comment} if comment is not None else {}
    with tarfile.open(path, "w:xz", format=tarfile.PAX_FORMAT, pax_headers=headers) as tar:
        data = b"<project/>"
        info = tarfile.TarInfo("pom.xml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_the_cache_key_is_the_commit_git_archive_wrote_into_the_archive(tmp_path: Path) -> None:
    made = archive(tmp_path / "horreum-df03321.tar.xz", COMMIT)

    assert build.archive_commit(made) == COMMIT
    assert build.app_key(COMMIT) != build.app_key("0" * 40)


@pytest.mark.parametrize("comment", [None, "", "not a commit", COMMIT[:12], COMMIT.upper()])
def test_an_archive_naming_no_commit_is_refused(tmp_path: Path, comment: str | None) -> None:
    made = archive(tmp_path / "horreum-x.tar.xz", comment)

    with pytest.raises(build.BuildFailed, match="names no commit"):
        build.archive_commit(made)


def test_the_source_is_found_in_the_folder_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = archive(tmp_path / "horreum-df03321.tar.xz", COMMIT)
    monkeypatch.setenv(build.SOURCE_ENV, str(tmp_path))

    assert build.source_archive() == made


@pytest.mark.parametrize("present", [False, True])
def test_without_an_archive_there_is_no_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, present: bool
) -> None:
    folder = tmp_path / "server"
    if present:
        folder.mkdir()
        (folder / "README.md").write_text("no archive here")
    monkeypatch.setenv(build.SOURCE_ENV, str(folder))

    assert build.source_archive() is None


def test_a_pid_that_does_not_run_a_command_of_the_runtime_folder_is_not_ours(
    tmp_path: Path,
) -> None:
    assert not stack._ours(os.getpid(), str(tmp_path / "perfbot-horreum-x"))
    assert not stack._ours(2**22 + 1, str(tmp_path))  # no such process


def test_stopping_a_pid_that_is_not_ours_signals_nothing(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert stack._stop(child.pid, str(tmp_path / "elsewhere")) == "not running"
        assert child.poll() is None
    finally:
        child.kill()
        child.wait()


@pytest.mark.slow
@pytest.mark.parametrize(("required", "exit_code"), [("0", 0), ("1", 1)])
def test_without_horreum_s_source_the_suite_says_so_in_one_line(
    tmp_path: Path, project_root: Path, required: str, exit_code: int
) -> None:
    env = {**os.environ, build.SOURCE_ENV: str(tmp_path), "PERFBOT_REQUIRE_HORREUM": required}

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "horreum",
         "tests/horreum_real/test_upload.py"],
        cwd=project_root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    said = [line for line in result.stdout.splitlines() if line.startswith("real-Horreum")]
    assert result.returncode == exit_code, result.stdout[-3000:]
    if required == "0":
        assert said == [f"real-Horreum tests not run: no horreum-*.tar.xz in {tmp_path} "
                        "(Horreum's source, ../shared)"]  # fmt: skip
    else:
        assert "PERFBOT_REQUIRE_HORREUM=1 but the real-Horreum tests cannot run" in result.stdout


@pytest.mark.parametrize(
    ("outcomes", "tries"),
    [(["up"], 1), (["exited", "up"], 2), (["exited", "exited", "up"], 3)],
)
def test_a_horreum_that_exits_at_start_is_tried_again_from_a_new_database(
    monkeypatch: pytest.MonkeyPatch, outcomes: list[str], tries: int
) -> None:
    left = list(outcomes)

    def once(built: build.Built, say: object) -> stack.Running:
        if left.pop(0) == "exited":
            raise stack.HorreumExited("Horreum exited with 1:\nNullPointerException")
        return stack.Running(dir="d", url="u", admin_password="p")

    monkeypatch.setattr(stack, "_up_once", once)
    monkeypatch.setattr(stack, "_save", lambda running: None)

    assert stack.up(build.Built(Path(), Path(), Path(), ""), say=lambda _: None).tries == tries


@pytest.mark.parametrize(
    "failure", [stack.HorreumExited("exited"), stack.StackError("Horreum was not ready")]
)
def test_a_hang_or_a_last_exit_is_not_tried_again(
    monkeypatch: pytest.MonkeyPatch, failure: stack.StackError
) -> None:
    calls: list[int] = []

    def once(built: build.Built, say: object) -> stack.Running:
        calls.append(1)
        raise failure

    monkeypatch.setattr(stack, "_up_once", once)

    with pytest.raises(type(failure)):
        stack.up(build.Built(Path(), Path(), Path(), ""), say=lambda _: None, attempts=1 + (
            type(failure) is stack.HorreumExited))  # fmt: skip

    assert len(calls) == (2 if type(failure) is stack.HorreumExited else 1)
