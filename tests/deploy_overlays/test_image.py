"""The Dockerfile and its lock, checked without a Docker engine: what can be read is checked."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tests.deploy_overlays.manifests import OVERLAYS_DIR, ROOT

DOCKERFILE = ROOT / "Dockerfile"
IMAGE_DIR = ROOT / "deploy" / "image"
LOCK = IMAGE_DIR / "requirements.lock"
BUILD_LOCK = IMAGE_DIR / "build-requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# The platform the locks are resolved for (deploy/image/lock.sh) and the image runs.
IMAGE_ENVIRONMENT = {
    "python_version": "3.11",
    "python_full_version": "3.11.14",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def instructions() -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    lines = [line for line in DOCKERFILE.read_text().splitlines() if not line.startswith("#")]
    text = "\n".join(lines).replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        keyword, _, arguments = line.strip().partition(" ")
        if keyword:
            found.append(Instruction(keyword.upper(), " ".join(arguments.split())))
    return found


def stages() -> list[list[Instruction]]:
    result: list[list[Instruction]] = []
    for instruction in instructions():
        if instruction.keyword == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def runtime() -> list[Instruction]:
    return stages()[-1]


def env_of(stage: list[Instruction]) -> dict[str, str]:
    env = {}
    for instruction in stage:
        if instruction.keyword == "ENV":
            env.update(pair.split("=", 1) for pair in instruction.arguments.split())
    return env


def final_user() -> str:
    users = [i.arguments for i in runtime() if i.keyword == "USER"]
    assert users, "the runtime stage sets no USER"
    return users[-1]


# -- the Dockerfile ---------------------------------------------------------------------------


def _hadolint() -> str:
    """hadolint from the test extra: beside this interpreter even when the venv is not active."""
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if found is None:
        pytest.fail("hadolint is missing: install the test extra (pip install -e '.[test]')")
    return found


def test_hadolint_finds_nothing_in_the_dockerfile():
    result = subprocess.run(
        [_hadolint(), "--format", "json", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert json.loads(result.stdout or "[]") == [], result.stdout


def test_the_base_image_is_a_pinned_python_311_slim_release():
    (arg,) = [i.arguments for i in instructions() if i.arguments.startswith("PYTHON_IMAGE=")]
    image = arg.split("=", 1)[1]
    match = re.fullmatch(r"python:(3\.11\.\d+)-slim-[a-z]+(@sha256:[0-9a-f]{64})?", image)
    assert match, image
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(match.group(1))
    assert "--python-version 3.11" in (IMAGE_DIR / "lock.sh").read_text()


def test_every_stage_starts_from_that_base():
    froms = [stage[0].arguments for stage in stages()]
    assert len(froms) >= 2, "expected a build stage and a runtime stage"
    for argument in froms:
        assert argument.startswith("${PYTHON_IMAGE} AS "), argument


def test_the_runtime_stage_installs_only_locked_wheels_with_their_hashes():
    runs = " ".join(i.arguments for i in runtime() if i.keyword == "RUN")
    assert "-r /tmp/requirements.lock" in runs
    for flag in ("--require-hashes", "--no-index", "--only-binary=:all:"):
        assert flag in runs
    for tool in ("apt-get", "gcc", "build-essential", "pip wheel", "pip download"):
        assert tool not in runs


def test_the_wheels_are_downloaded_with_their_hashes_checked():
    runs = " ".join(i.arguments for i in stages()[0] if i.keyword == "RUN")
    assert "--require-hashes --only-binary=:all:" in runs
    assert "-r deploy/image/requirements.lock" in runs
    assert "-r deploy/image/build-requirements.lock" in runs


def test_the_image_runs_as_a_numeric_non_root_user():
    user = final_user()
    assert re.fullmatch(r"\d+:\d+", user), user
    assert all(int(part) > 0 for part in user.split(":"))
    keywords = [i.keyword for i in runtime()]
    assert "RUN" not in keywords[keywords.index("USER") :]


def test_the_image_user_is_the_one_the_manifests_run_as():
    uid = int(final_user().split(":")[0])
    base = yaml.safe_load((ROOT / "deploy" / "base" / "deployment.yaml").read_text())
    steps = yaml.safe_load((OVERLAYS_DIR / "cloud" / "workflow-security.yaml").read_text())
    assert base["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == uid
    assert steps["spec"]["podSecurityContext"]["runAsUser"] == uid


def test_the_image_user_owns_the_directory_the_compare_step_writes():
    uid = final_user().split(":")[0]
    template = yaml.safe_load((ROOT / "templates" / "perf-databend-sql.yaml").read_text())
    (compare,) = [t for t in template["spec"]["templates"] if t["name"] == "compare"]
    written = {Path(a["path"]).parts[1] for a in compare["outputs"]["artifacts"]}
    assert written == {"perfbot"}
    runs = " ".join(i.arguments for i in runtime() if i.keyword == "RUN")
    assert f"install -d -o {uid} -g {uid} /perfbot" in runs


def test_the_default_command_is_the_bot_the_deployment_runs():
    (cmd,) = [i.arguments for i in runtime() if i.keyword == "CMD"]
    base = yaml.safe_load((ROOT / "deploy" / "base" / "deployment.yaml").read_text())
    (container,) = base["spec"]["template"]["spec"]["containers"]
    assert json.loads(cmd) == container["command"]


def test_python_writes_no_bytecode_and_pip_keeps_no_cache():
    env = env_of(runtime())
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PIP_NO_CACHE_DIR"] == "1"
    assert env["PATH"].startswith("/opt/perfbot/bin:")


# -- the build context ------------------------------------------------------------------------


def dockerignore() -> list[str]:
    text = (ROOT / ".dockerignore").read_text()
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def context_sources() -> list[str]:
    """Paths the Dockerfile takes from the build context (COPY and bind mounts without from=)."""
    sources = []
    for instruction in instructions():
        words = instruction.arguments.split()
        if instruction.keyword == "COPY" and not any(w.startswith("--from") for w in words):
            sources += [w for w in words[:-1] if not w.startswith("--")]
        for mount in re.findall(r"--mount=(\S+)", instruction.arguments):
            options = dict(part.split("=", 1) for part in mount.split(","))
            if options.get("type") == "bind" and "from" not in options:
                sources.append(options["source"])
    return sources


def test_the_build_context_is_an_allow_list():
    entries = dockerignore()
    assert entries[0] == "*"
    allowed = [e[1:] for e in entries if e.startswith("!")]
    for private in (".git", ".venv", "tests", "templates", "examples", "perfbot-out"):
        assert not any(private == a.rstrip("/") for a in allowed)


def test_everything_the_dockerfile_takes_from_the_context_is_allowed_and_exists():
    allowed = [e[1:].rstrip("/") for e in dockerignore() if e.startswith("!")]
    sources = context_sources()
    assert sources
    for source in sources:
        source = source.rstrip("/")
        assert (ROOT / source).exists(), source
        assert any(source == a or source.startswith(a + "/") for a in allowed), source


def test_the_context_holds_what_building_the_wheel_reads():
    sources = {s.rstrip("/") for s in context_sources()}
    assert {"pyproject.toml", PYPROJECT["project"]["readme"]} <= sources
    packages = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {p.rstrip("*") for p in packages} <= sources


# -- the locks --------------------------------------------------------------------------------


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a `--generate-hashes` lock."""
    entries: dict[str, tuple[str, list[str]]] = {}
    text = path.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if not line or line.startswith("#") or line.lstrip().startswith("#"):
            continue
        requirement, *options = line.split("--hash=")
        name, _, version = requirement.split(";")[0].strip().partition("==")
        assert version, f"{path.name}: {line!r} is not pinned with =="
        entries[canonicalize_name(name)] = (version.strip(), [o.strip() for o in options])
    return entries


@pytest.mark.parametrize("path", [LOCK, BUILD_LOCK], ids=lambda p: p.name)
def test_every_locked_requirement_is_pinned_with_sha256_hashes(path):
    entries = locked(path)
    assert entries
    for name, (version, hashes) in entries.items():
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version), name
        assert hashes, name
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_every_runtime_dependency_of_pyproject_is_locked_at_an_allowed_version():
    entries = locked(LOCK)
    for text in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{name} is not in {LOCK.name}: run deploy/image/lock.sh"
        assert requirement.specifier.contains(entries[name][0], prereleases=True), name


def test_the_build_lock_satisfies_the_build_system():
    entries = locked(BUILD_LOCK)
    for text in PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert requirement.specifier.contains(entries[name][0]), name


PROJECT = "perfbot (pyproject.toml)"  # how uv names the project in a lock's `# via` lines


def needed_by(path: Path) -> dict[str, set[str]]:
    """name -> the names its `# via` lines say need it (the project as PROJECT)."""
    via: dict[str, set[str]] = {}
    current = ""
    listing = False
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if line and not line[0].isspace() and not line.startswith("#"):
            current = canonicalize_name(line.split("==")[0])
            via[current] = set()
            listing = False
        elif stripped.startswith("# via"):
            rest = stripped.removeprefix("# via").strip()
            listing = not rest
            if rest:
                via[current].add(rest)
        elif listing and stripped.startswith("#   "):
            via[current].add(stripped.removeprefix("#").strip())
        else:
            listing = False
    return {name: {n if n == PROJECT else canonicalize_name(n) for n in needs}
            for name, needs in via.items()}  # fmt: skip


def test_every_locked_package_is_needed_by_pyproject_and_nothing_else_is_locked():
    """From the lock and pyproject.toml alone, whatever the package index or the venv holds:
    every entry is reached from the project through the lock's own `# via` lines."""
    entries = locked(LOCK)
    via = needed_by(LOCK)
    assert set(via) == set(entries)
    direct = {canonicalize_name(Requirement(t).name) for t in PYPROJECT["project"]["dependencies"]}
    assert {name for name, needs in via.items() if PROJECT in needs} == direct
    reached, queue = set(), [PROJECT]
    while queue:
        parent = queue.pop()
        for name, needs in via.items():
            if parent in needs and name not in reached:
                reached.add(name)
                queue.append(name)
    assert reached == set(entries)


def test_the_lock_holds_every_dependency_of_the_locked_versions():
    """The declared dependencies of each locked package, from its installed metadata where the
    installed version is the locked one (`make test` installs the lock's versions)."""
    entries = locked(LOCK)
    extras: dict[str, set[str]] = {}
    for text in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(text)
        extras.setdefault(canonicalize_name(requirement.name), {""}).update(requirement.extras)
    checked = 0
    for name, (version, _) in entries.items():
        try:
            installed = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if installed.version != version:
            continue
        checked += 1
        for text in installed.requires or []:
            dependency = Requirement(text)
            if dependency.marker is None or any(
                dependency.marker.evaluate({**IMAGE_ENVIRONMENT, "extra": extra})
                for extra in extras.get(name, {""})
            ):
                needed = canonicalize_name(dependency.name)
                assert needed in entries, f"{needed} (needed by {name}) is not in {LOCK.name}"
    assert checked >= len(PYPROJECT["project"]["dependencies"])
