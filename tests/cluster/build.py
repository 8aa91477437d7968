"""Build the cluster's binaries from the Go module proxy, once per set of versions.

Nothing here is prebuilt or downloaded as a binary: Kubernetes, etcd and Argo
are compiled from their published Go modules with the machine's Go, the way the validator in
`tools/argo-validate` is. Each component is built into
`<cache>/cluster/bin/<component>-<key>/`, where the key digests the component's versions, this
file and Go's version, so a warm run finds every binary and builds nothing, and a changed pin
rebuilds only what it touches. A build goes to a scratch folder and is renamed into place, so
an interrupted build never leaves a half set of binaries that looks complete.

Only the standard library is used: `.ci/run` builds while the virtual environment installs.
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
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workflows.argo_validate import cache_root  # one cache for every Go build of perfbot

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VERSIONS_FILE = HERE / "versions.toml"
ARGO_GO_MOD = ROOT / "tools" / "argo-validate" / "go.mod"
ARGO_MODULE = "github.com/argoproj/argo-workflows/v4"

KUBE_COMMANDS = (
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kubelet",
    "kube-proxy",
    "kubectl",
)
# The staging modules k8s.io/kubernetes replaces with ./staging/src/...; a module that depends on
# it must replace each with its published version (v0.MINOR.PATCH), or Go cannot resolve them.
KUBE_STAGING = (
    "api",
    "apiextensions-apiserver",
    "apimachinery",
    "apiserver",
    "cli-runtime",
    "client-go",
    "cloud-provider",
    "cluster-bootstrap",
    "code-generator",
    "component-base",
    "component-helpers",
    "controller-manager",
    "cri-api",
    "cri-client",
    "csi-translation-lib",
    "dynamic-resource-allocation",
    "endpointslice",
    "externaljwt",
    "kms",
    "kube-aggregator",
    "kube-controller-manager",
    "kube-proxy",
    "kube-scheduler",
    "kubectl",
    "kubelet",
    "metrics",
    "mount-utils",
    "pod-security-admission",
    "sample-apiserver",
    "sample-cli-plugin",
    "sample-controller",
)


class BuildFailed(Exception):
    """A `go` command failed; the message carries its output's tail."""


def versions() -> dict:
    pins = tomllib.loads(VERSIONS_FILE.read_text())
    pins["argo"] = {"version": argo_version()}
    return pins


def argo_version(go_mod: Path = ARGO_GO_MOD) -> str:
    """The Argo version tools/argo-validate requires: the one place Argo is pinned."""
    for line in go_mod.read_text().splitlines():
        words = line.split()
        if len(words) >= 2 and words[-2] == ARGO_MODULE:
            return words[-1]
    raise BuildFailed(f"{go_mod} requires no {ARGO_MODULE}")


def go_version() -> str:
    return subprocess.run(
        ["go", "env", "GOVERSION", "GOOS", "GOARCH"], capture_output=True, text=True, check=True
    ).stdout


def key(*parts: str) -> str:
    """A digest of what a build is made from: its pins, its recipe's version, Go's version."""
    digest = hashlib.sha256()
    for part in (*parts, go_version()):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Component:
    """One thing to build: its name, the pins it depends on and how to build it into a folder."""

    name: str
    pins: str
    build: Callable[[Path, Path, dict], None]  # (scratch work dir, output bin dir, versions)
    binaries: tuple[str, ...]
    # Raise when the recipe changes what it builds (flags, patches): the cache key includes it.
    # (Not the recipe's source text, so reformatting the code does not cost a 25-minute build.)
    recipe: int = 1

    def folder(self, pins: dict) -> Path:
        made_of = key(repr(pins[self.pins]), str(self.recipe))
        return cache_root() / "cluster" / "bin" / f"{self.name}-{made_of}"


def run_go(args: list[str], cwd: Path, *, env: dict | None = None, log=None) -> None:
    full_env = {**os.environ, "CGO_ENABLED": "0", "GOFLAGS": "-buildvcs=false", **(env or {})}
    result = subprocess.run(
        ["go", *args], cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )
    if log is not None:
        log.write(result.stdout + result.stderr)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise BuildFailed(f"go {' '.join(args[:3])} ... in {cwd} failed:\n{tail}")


def build_kubernetes(work: Path, out: Path, pins: dict) -> None:
    """A wrapper module that requires k8s.io/kubernetes and replaces its staging modules."""
    kube = pins["kubernetes"]
    replaces = "\n".join(
        f"\tk8s.io/{name} => k8s.io/{name} {kube['staging']}" for name in KUBE_STAGING
    )
    (work / "go.mod").write_text(
        "module perfbot.invalid/cluster/kubernetes\n\ngo 1.24.0\n\n"
        f"require k8s.io/kubernetes {kube['version']}\n\nreplace (\n{replaces}\n)\n"
    )
    imports = "\n".join(f'\t_ "k8s.io/kubernetes/cmd/{cmd}"' for cmd in KUBE_COMMANDS)
    (work / "tools.go").write_text(f"//go:build tools\n\npackage tools\n\nimport (\n{imports}\n)\n")
    run_go(["mod", "tidy"], work)
    major, minor = kube["version"].lstrip("v").split(".")[:2]
    stamp = " ".join(
        f"-X k8s.io/component-base/version.{name}={value}"
        for name, value in (
            ("gitVersion", kube["version"]),
            ("gitMajor", major),
            ("gitMinor", minor),
            ("gitTreeState", "clean"),
            ("buildDate", "1970-01-01T00:00:00Z"),
        )
    )
    packages = [f"k8s.io/kubernetes/cmd/{cmd}" for cmd in KUBE_COMMANDS]
    run_go(["build", "-trimpath", "-ldflags", f"-s -w {stamp}", "-o", str(out), *packages], work)


def build_etcd(work: Path, out: Path, pins: dict) -> None:
    """etcd's server from its own module; a three-line main calls etcdmain like etcd's does."""
    version = pins["etcd"]["version"]
    (work / "go.mod").write_text(
        "module perfbot.invalid/cluster/etcd\n\ngo 1.24.0\n\n"
        f"require go.etcd.io/etcd/server/v3 {version}\n"
    )
    (work / "main.go").write_text(
        'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\n'
        "func main() { etcdmain.Main(os.Args) }\n"
    )
    run_go(["mod", "tidy"], work)
    run_go(["build", "-trimpath", "-ldflags", "-s -w", "-o", str(out / "etcd"), "."], work)


def module_dir(module: str, version: str, cwd: Path | None = None) -> Path:
    """A published module's source, read-only, from Go's module cache (downloaded if needed)."""
    listing = subprocess.run(
        ["go", "mod", "download", "-json", f"{module}@{version}"],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    if listing.returncode != 0:
        raise BuildFailed(f"go mod download {module}@{version}: {listing.stdout}{listing.stderr}")
    return Path(json.loads(listing.stdout)["Dir"])


def build_argo(work: Path, out: Path, pins: dict) -> None:
    """The controller, the executor and the Argo Server (`argo server`) from Argo's module.

    The module is built inside a writable copy of itself, so its own go.mod (with its replace
    lines) governs. Two files its repository has are missing from the module's zip: the UI
    bundle the server embeds (`ui/dist/app`, generated by a JavaScript build; an empty page
    stands in, as the API is what perfbot uses) and `signal_linux.go`, a symlink in the
    repository to the shared Unix implementation, which the zip drops.
    """
    version = pins["argo"]["version"]
    source = module_dir(ARGO_MODULE, version, cwd=work)
    tree = work / "argo"
    shutil.copytree(source, tree, symlinks=True)
    for path in [tree, *tree.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o200)
    ui = tree / "ui" / "dist" / "app"
    ui.mkdir(parents=True, exist_ok=True)
    (ui / "index.html").write_text("<!doctype html><title>Argo</title>\n")
    signals = tree / "workflow" / "executor" / "osspecific"
    if not (signals / "signal_linux.go").exists():
        shutil.copy(signals / "signal_darwin.go", signals / "signal_linux.go")
        text = (signals / "signal_linux.go").read_text()
        (signals / "signal_linux.go").write_text(text.replace("darwin", "linux"))
    stamp = f"-s -w -X github.com/argoproj/argo-workflows/v4.version={version}"
    for cmd in ("workflow-controller", "argoexec", "argo"):
        run_go(
            ["build", "-trimpath", "-ldflags", stamp, "-o", str(out / cmd), f"./cmd/{cmd}"], tree
        )


def build_go_command(key: str, command: str, binary: str) -> Callable[[Path, Path, dict], None]:
    """A recipe for one command of the module pinned under `key` in versions.toml (its
    `module` and `version`): a wrapper module requires it at that version (so its own go.mod's
    requirements govern through MVS) and builds it."""

    def recipe(work: Path, out: Path, pins: dict) -> None:
        pin = pins[key]
        module = pin["module"]
        (work / "go.mod").write_text(
            f"module perfbot.invalid/cluster/{binary}\n\ngo 1.24.0\n\n"
            f"require {module} {pin['version']}\n"
        )
        (work / "tools.go").write_text(
            f'//go:build tools\n\npackage tools\n\nimport _ "{module}/{command}"\n'
        )
        run_go(["mod", "tidy"], work)
        run_go(
            [
                "build",
                "-trimpath",
                "-ldflags",
                "-s -w",
                "-o",
                str(out / binary),
                f"{module}/{command}",
            ],
            work,
        )

    return recipe


COMPONENTS = (
    Component("etcd", "etcd", build_etcd, ("etcd",)),
    Component(
        "registry",
        "registry",
        build_go_command("registry", "cmd/registry", "registry"),
        ("registry",),
    ),
    Component(
        "crane",
        "crane",
        build_go_command("crane", "cmd/crane", "crane"),
        ("crane",),
    ),
    Component("argo", "argo", build_argo, ("workflow-controller", "argoexec", "argo")),
    Component("kubernetes", "kubernetes", build_kubernetes, KUBE_COMMANDS),
)


def build(component: Component, pins: dict, say=print) -> Path:
    """The folder holding `component`'s binaries, building them first when not cached."""
    pinned = pins[component.pins]
    folder = component.folder(pins)
    if all((folder / name).is_file() for name in component.binaries):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    say(f"building {component.name} ({pinned}); a cold build takes minutes ...")
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{component.name}-") as scratch:
        work, out = Path(scratch) / "work", Path(scratch) / "bin"
        work.mkdir()
        out.mkdir()
        component.build(work, out, pins)
        shutil.rmtree(folder, ignore_errors=True)
        out.rename(folder)
    say(f"built {component.name} in {time.monotonic() - started:.0f} s")
    return folder


def build_all(names: list[str] | None = None, say=print) -> dict[str, Path]:
    pins = versions()
    chosen = [c for c in COMPONENTS if not names or c.name in names]
    return {c.name: build(c, pins, say) for c in chosen}


if __name__ == "__main__":
    try:
        for name, folder in build_all(sys.argv[1:]).items():
            print(f"{name}: {folder}")
    except BuildFailed as error:
        print(error, file=sys.stderr)
        sys.exit(1)
