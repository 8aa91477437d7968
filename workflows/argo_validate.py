"""Build (once, cached) and run `tools/argo-validate`, Argo's own validator, from Python.

The schema and Hera's models check structure; only Argo's Go code knows what its controller
refuses at submission, so perfbot runs that code rather than imitating it. The binary is built
with `go build` on first use and kept under a cache directory keyed on its Go sources, go.mod,
go.sum and the Go version, so a second run (or a second pytest worker) reuses it; a cold build
takes minutes, a cached one nothing. Building goes through a lock and a rename, so parallel
callers never run a half-written binary.

Only the standard library is imported: `.ci/run` builds the tool with the system Python
(`python3 -m workflows.argo_validate`) while the virtual environment is still being installed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

TOOL_DIR = Path(__file__).resolve().parents[1] / "tools" / "argo-validate"
BINARY_NAME = "argo-validate"
BINARY_ENV = "PERFBOT_ARGO_VALIDATE"  # a prebuilt binary; skips building
CACHE_ENV = "PERFBOT_CACHE_DIR"
BUILD_TIMEOUT = 1800  # a cold build downloads Argo's modules and compiles Kubernetes' types
RUN_TIMEOUT = 300

GO_MISSING = (
    "Argo's validator needs Go (1.25 or later) to build tools/argo-validate, and `go` is not on "
    "PATH: install it from https://go.dev/dl/ (or your package manager, e.g. "
    "`apt-get install golang-go` where that is recent enough), then run this again"
)
NO_SOURCE = (
    "the Go source of Argo's validator (tools/argo-validate) is not part of this installation: "
    "run perfbot lint from a checkout of perfbot, or point {env} at a built argo-validate"
)
BUILD_FAILED = "building tools/argo-validate with `go build` failed:\n{output}"
BUILDING = "building Argo's validator (tools/argo-validate) once; a cold build takes minutes ..."


class ValidatorUnavailable(Exception):
    """Go is missing, the source is missing, or the build failed; the message says which."""


@dataclass(frozen=True)
class Verdict:
    """What Argo said: one line per problem (`FILE: KIND NAME: MESSAGE`) and a summary."""

    problems: list[str]
    summary: str
    returncode: int

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


def cache_root() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "perfbot"


def go_executable() -> str:
    go = shutil.which("go")
    if go is None:
        raise ValidatorUnavailable(GO_MISSING)
    return go


def source_key(go: str, tool_dir: Path = TOOL_DIR) -> str:
    """A digest of everything the binary is made from: sources, go.mod, go.sum, Go itself."""
    if not (tool_dir / "go.mod").is_file():
        raise ValidatorUnavailable(NO_SOURCE.format(env=BINARY_ENV))
    digest = hashlib.sha256()
    for path in sorted([*tool_dir.glob("*.go"), tool_dir / "go.mod", tool_dir / "go.sum"]):
        if path.name.endswith("_test.go") or not path.is_file():
            continue
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    version = subprocess.run(
        [go, "env", "GOVERSION", "GOOS", "GOARCH"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    digest.update(version.stdout.encode())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_built(*, announce=None, tool_dir: Path = TOOL_DIR) -> Path:
    """The path of a built argo-validate, building it first if this source was never built.

    `announce` (a callable taking a line) hears about a build before it starts, because a cold
    build is slow enough that silence would look like a hang.
    """
    prebuilt = os.environ.get(BINARY_ENV)
    if prebuilt:
        if not os.access(prebuilt, os.X_OK):
            raise ValidatorUnavailable(f"{BINARY_ENV}={prebuilt} is not an executable file")
        return Path(prebuilt)
    go = go_executable()
    target_dir = cache_root() / "argo-validate" / source_key(go, tool_dir)
    binary = target_dir / BINARY_NAME
    if binary.is_file():
        return binary
    with _locked(target_dir.with_name(target_dir.name + ".lock")):
        if binary.is_file():  # another process built it while this one waited
            return binary
        if announce is not None:
            announce(BUILDING)
        target_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target_dir) as scratch:
            partial = Path(scratch) / BINARY_NAME
            try:
                result = subprocess.run(
                    [go, "build", "-trimpath", "-o", str(partial), "."],
                    cwd=tool_dir,
                    capture_output=True,
                    text=True,
                    check=False,
                    timeout=BUILD_TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                raise ValidatorUnavailable(
                    BUILD_FAILED.format(output=f"no result after {BUILD_TIMEOUT} s")
                ) from None
            if result.returncode != 0 or not partial.is_file():
                output = (result.stderr or result.stdout).strip()[-4000:]
                raise ValidatorUnavailable(BUILD_FAILED.format(output=output))
            partial.replace(binary)
    return binary


def validate(paths: Sequence[Path | str], *, announce=None) -> Verdict:
    """Argo's verdict on the WorkflowTemplates and Workflows in `paths` (resolved together)."""
    if not paths:
        raise ValueError("nothing to validate")
    binary = ensure_built(announce=announce)
    result = subprocess.run(
        [str(binary), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=RUN_TIMEOUT,
    )
    if result.returncode not in (0, 1):
        raise ValidatorUnavailable(
            f"argo-validate exited {result.returncode}: {result.stderr.strip()[-2000:]}"
        )
    problems = [line for line in result.stdout.splitlines() if line.strip()]
    summary = (result.stderr.strip().splitlines() or [""])[-1]
    return Verdict(problems, summary, result.returncode)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m workflows.argo_validate`: build (if needed) and print the binary's path."""
    del argv
    try:
        path = ensure_built(announce=lambda line: print(line, file=sys.stderr, flush=True))
    except ValidatorUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
