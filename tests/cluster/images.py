"""The cluster's container images, built here: no registry can be pulled from on this machine.

Each image is made with Debian's `buildah` and saved as an archive under
`<cache>/cluster/images/`, keyed on what it is made from, then imported into the node's
containerd (`node.import_images`). The pods ask for them by these names with pull policy
IfNotPresent, so the kubelet never tries a registry.

- `pause`: the pod sandbox, a static binary from `pause/` (our own dozen lines of Go);
- `argoexec`: Argo's executor, built by `build.py` from the same Argo module as the controller;
- `python`: a Debian root file system made by `debootstrap --variant=minbase` with Python 3.11,
  the base for the demo's steps and for perfbot's own image (the Dockerfile's PYTHON_IMAGE);
- `perfbot`: the project's `Dockerfile`, built for real with its lock's hash checks on;
- `builder`: the image jobs' builder and checker: Debian's `buildah` (installed by apt on the
  python base) and `crane` (built by `build.py`), told that the node's registry speaks HTTP.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.cluster import build, pki, registry

ROOT = build.ROOT
PAUSE_SOURCE = build.HERE / "pause"
TAG = "cluster"
PAUSE = f"localhost/perfbot-pause:{TAG}"
ARGOEXEC = f"localhost/argoexec:{TAG}"
PYTHON = f"localhost/perfbot-python:{TAG}"
PERFBOT = f"localhost/perfbot:{TAG}"
BUILDER = f"localhost/perfbot-builder:{TAG}"
BUILDER_PACKAGES = ("buildah",)
# What goes into perfbot's image: the Dockerfile's COPY sources. A change to any rebuilds it.
PERFBOT_INPUTS = ("Dockerfile", "pyproject.toml", "README.md", "deploy/image", "workflows", "bot")
PYTHON_PACKAGES = ("python3", "python3-venv", "python3-pip", "python-is-python3", "ca-certificates")


class ImageFailed(Exception):
    """An image could not be made; the message says which and why."""


def images_dir() -> Path:
    return build.cache_root() / "cluster" / "images"


def buildah(*args: str, timeout: float = 1800, cwd: Path | None = None) -> str:
    storage = build.cache_root() / "cluster" / "buildah"
    argv = [
        "buildah",
        "--root",
        str(storage / "root"),
        "--runroot",
        str(storage / "run"),
        "--storage-driver",
        "overlay",
        *args,
    ]
    result = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "BUILDAH_ISOLATION": "chroot"},
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise ImageFailed(f"buildah {' '.join(args[:2])} failed:\n{tail}")
    return result.stdout.strip()


def digest_paths(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(
                str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name).encode()
            )
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Image:
    name: str
    ref: str
    inputs: Callable[[], str]  # a digest of what the image is made from
    make: Callable[[], None]  # builds `ref` into buildah's storage

    def archive(self) -> Path:
        return images_dir() / f"{self.name}-{self.inputs()}.tar"


def save(ref: str, archive: Path) -> None:
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    buildah("push", ref, f"docker-archive:{partial}:{ref}")
    partial.rename(archive)


def from_files(
    ref: str, files: dict[str, Path], entrypoint: list[str], user: str | None = None
) -> None:
    """A one-layer image of a few files (static binaries), nothing else."""
    container = buildah("from", "scratch")
    try:
        for target, source in files.items():
            buildah("copy", "--chmod", "0755", container, str(source), target)
        buildah("config", "--entrypoint", json.dumps(entrypoint), "--cmd", "", container)
        if user:
            buildah("config", "--user", user, container)
        buildah("commit", "--rm", container, ref)
    except ImageFailed:
        subprocess.run(["buildah", "rm", container], capture_output=True)
        raise


def make_pause() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        binary = Path(scratch) / "pause"
        build.run_go(
            ["build", "-trimpath", "-ldflags", "-s -w", "-o", str(binary), "."], PAUSE_SOURCE
        )
        from_files(PAUSE, {"/pause": binary}, ["/pause"])


def git_ca() -> tuple[Path, Path]:
    """The CA of the node's git server (`gitserver.py`), made once and kept with the images.

    The argoexec image trusts it, so go-git verifies the git server's certificate as it would
    GitHub's; it is the only CA added, and only in this harness's image.
    """
    folder = build.cache_root() / "cluster" / "git-ca"
    crt, key = folder / "perfbot-cluster-git-ca.crt", folder / "perfbot-cluster-git-ca.key"
    if crt.is_file() and key.is_file():
        return crt, key
    return pki.make_ca(folder, "perfbot-cluster-git-ca", days=3650)


def make_argoexec() -> None:
    folder = argo_bin()
    with tempfile.TemporaryDirectory() as scratch:
        certs = Path(scratch) / "ca-certificates.crt"
        bundle = Path("/etc/ssl/certs/ca-certificates.crt").read_text()
        certs.write_text(bundle + git_ca()[0].read_text())
        container = buildah("from", "scratch")
        buildah("copy", "--chmod", "0755", container, str(folder / "argoexec"), "/bin/argoexec")
        buildah("copy", container, str(certs), "/etc/ssl/certs/ca-certificates.crt")
        buildah(
            "config",
            "--entrypoint",
            json.dumps(["/bin/argoexec"]),
            "--cmd",
            "",
            "--env",
            "PATH=/bin",
            container,
        )
        buildah("commit", "--rm", container, ARGOEXEC)


def argo_bin() -> Path:
    pins = build.versions()
    component = next(c for c in build.COMPONENTS if c.name == "argo")
    return component.folder(pins)


def debian_mirror() -> str:
    """The mirror this machine's apt uses, so debootstrap fetches from where apt may."""
    for path in [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*")]:
        if not path.is_file() or path.suffix not in (".list", ".sources"):
            continue
        for line in path.read_text().splitlines():
            words = line.split()
            if words[:1] == ["URIs:"] and len(words) > 1 and "security" not in words[1]:
                return words[1]
            if words[:1] == ["deb"] and len(words) > 2 and "security" not in line:
                return words[2] if not words[1].startswith("[") else words[3]
    raise ImageFailed("no Debian mirror in apt's sources: debootstrap needs one")


def make_python() -> None:
    suite = build.versions()["debian"]["suite"]
    with tempfile.TemporaryDirectory(dir=images_dir()) as scratch:
        rootfs = Path(scratch) / "rootfs"
        result = subprocess.run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(PYTHON_PACKAGES)}",
                suite,
                str(rootfs),
                debian_mirror(),
            ],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if result.returncode != 0:
            raise ImageFailed(
                f"debootstrap failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
            )
        # Like the official python image: pip may install into this interpreter (no PEP 668
        # marker); no apt lists or caches in the image.
        for leftover in rootfs.glob("usr/lib/python3*/EXTERNALLY-MANAGED"):
            leftover.unlink()
        # The CAs this machine adds to Debian's store (an egress proxy's, a company's) are
        # trusted inside too, so builds FROM this image reach the package index as the host does.
        extra = rootfs / "usr/local/share/ca-certificates"
        for cert in local_cas():
            shutil.copy(cert, extra / cert.name)
        subprocess.run(
            ["chroot", str(rootfs), "update-ca-certificates"], check=True, capture_output=True
        )
        for folder in ("var/lib/apt/lists", "var/cache/apt", "var/log"):
            shutil.rmtree(rootfs / folder, ignore_errors=True)
            (rootfs / folder).mkdir(parents=True, exist_ok=True)
        tarball = Path(scratch) / "rootfs.tar"
        subprocess.run(
            ["tar", "-C", str(rootfs), "--numeric-owner", "-cf", str(tarball), "."], check=True
        )
        shutil.rmtree(rootfs, ignore_errors=True)
        container = buildah("from", "scratch")
        buildah("add", container, str(tarball), "/")
        buildah("config", "--cmd", json.dumps(["python3"]), "--env", "LANG=C.UTF-8", container)
        buildah("commit", "--rm", container, PYTHON)


def make_perfbot() -> None:
    revision = digest_paths([ROOT / p for p in PERFBOT_INPUTS])
    buildah(
        "bud",
        "--layers=false",  # cached layers kept a stale bind-mounted stage (buildah 1.28)
        "--network",
        "host",
        "--isolation",
        "chroot",
        "--build-arg",
        f"PYTHON_IMAGE={PYTHON}",
        "--build-arg",
        f"PERFBOT_REVISION={revision}",
        "--pull-never",
        "-t",
        PERFBOT,
        "-f",
        "Dockerfile",
        ".",
        cwd=ROOT,
        timeout=3600,
    )
    labels = json.loads(buildah("inspect", "--type", "image", PERFBOT))["OCIv1"]["config"]
    if labels.get("Labels", {}).get("org.opencontainers.image.revision") != revision:
        raise ImageFailed(f"{PERFBOT} was not rebuilt from this source ({revision})")


def make_builder() -> None:
    container = buildah("from", "--pull-never", PYTHON)
    try:
        install = (
            "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
            f"--no-install-recommends {' '.join(BUILDER_PACKAGES)} && rm -rf /var/lib/apt/lists/*"
        )
        buildah(
            "run",
            "--network",
            "host",
            "--isolation",
            "chroot",
            container,
            "--",
            "sh",
            "-c",
            install,
        )
        buildah(
            "copy", "--chmod", "0755", container, str(crane_bin() / "crane"), "/usr/local/bin/crane"
        )
        with tempfile.TemporaryDirectory() as scratch:
            conf = Path(scratch) / "perfbot-cluster.conf"
            conf.write_text(f'[[registry]]\nlocation = "{registry.ADDRESS}"\ninsecure = true\n')
            buildah("copy", container, str(conf), "/etc/containers/registries.conf.d/")
        buildah("commit", "--rm", container, BUILDER)
    except ImageFailed:
        subprocess.run(["buildah", "rm", container], capture_output=True)
        raise


def crane_bin() -> Path:
    component = next(c for c in build.COMPONENTS if c.name == "crane")
    return component.folder(build.versions())


def digest_text(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def local_cas() -> list[Path]:
    return sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))


def python_inputs() -> str:
    made_of = repr((build.versions()["debian"], PYTHON_PACKAGES, "v1"))
    return hashlib.sha256(made_of.encode()).hexdigest()[:6] + digest_paths(local_cas())[:6]


IMAGES = (
    Image("pause", PAUSE, lambda: digest_paths([PAUSE_SOURCE]), make_pause),
    Image(
        "argoexec", ARGOEXEC, lambda: argo_bin().name + digest_paths([git_ca()[0]]), make_argoexec
    ),
    Image("python", PYTHON, python_inputs, make_python),
    Image(
        "perfbot",
        PERFBOT,
        lambda: python_inputs() + digest_paths([ROOT / p for p in PERFBOT_INPUTS]),
        make_perfbot,
    ),
    Image(
        "builder",
        BUILDER,
        lambda: digest_text(python_inputs(), crane_bin().name, repr(BUILDER_PACKAGES), "r1"),
        make_builder,
    ),
)


def prune() -> None:
    """Each rebuild leaves the previous build's stages behind, untagged, and a failed build its
    working containers: drop them, or the storage grows by a few hundred MB with every change
    to perfbot's code. Best effort: what cannot go now goes next time."""
    for args in (("rm", "--all"), ("rmi", "--prune")):
        try:
            buildah(*args, timeout=300)
        except ImageFailed as error:
            print(f"buildah {args[0]}: {str(error).splitlines()[-1]}", file=sys.stderr)


def ensure(image: Image, say=print) -> Path:
    archive = image.archive()
    if archive.is_file():
        return archive
    images_dir().mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    say(f"building image {image.ref} ...")
    if image.name in ("perfbot", "builder"):
        # Both are made FROM the python image: it must be in buildah's storage.
        ensure(IMAGES[2], say)
        try:
            buildah("inspect", "--type", "image", PYTHON)
        except ImageFailed:
            buildah("pull", f"docker-archive:{IMAGES[2].archive()}")
    image.make()
    save(image.ref, archive)
    prune()
    for stale in images_dir().glob(f"{image.name}-*.tar"):
        if stale != archive:
            stale.unlink()
    say(f"built image {image.ref} in {time.monotonic() - started:.0f} s")
    return archive


def ensure_all(names: list[str] | None = None, say=print) -> dict[str, Path]:
    return {i.name: ensure(i, say) for i in IMAGES if not names or i.name in names}
