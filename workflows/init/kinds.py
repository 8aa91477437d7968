"""The kinds of benchmark `perfbot init` recognises, each a function from tracked files to a job.

A detector proposes a job only when it can say exactly what to run and how to read the result:
a format perfbot imports (docs/results-format.md) and a command that writes it to
`$PERFBOT_RESULT` in the side's build directory, where the benchmark step runs. What it cannot
know (a tool missing from this machine, a build that needs more) it says in `notes`, which end
up as comments in the config and lines on the terminal.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from workflows.init.files import Tree

TRUE = ["true"]


@dataclass(frozen=True)
class Found:
    """One job proposal: what was seen, what to build, what to run, how to read it."""

    kind: str
    evidence: str
    format: str
    build: list[str]
    benchmark: str  # shell text (`sh -c`): it redirects or names `$PERFBOT_RESULT`
    build_comment: str = ""
    env: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


Detector = Callable[[Tree], "Found | None"]

# ---- go test -bench ---------------------------------------------------------------------------

GO_BENCH_FUNC = re.compile(r"^func\s+Benchmark\w*\s*\(\s*\w+\s+\*testing\.B\s*\)", re.M)
GO_RUN = "go test -run '^$' -bench . -benchmem -count 3 ./..."
GO_BUILD = ["go", "test", "-run", "^$", "./..."]
GO_BUILD_COMMENT = "compiles every package and its tests, runs none: a broken commit stops here"


def go_bench(tree: Tree) -> Found | None:
    """`func BenchmarkX(b *testing.B)` in a `_test.go` file of a module."""
    if not tree.has("go.mod"):
        return None
    for path in tree.named("*_test.go"):
        if GO_BENCH_FUNC.search(tree.text(path)):
            return Found(
                kind="go",
                evidence=f"{path} has `func Benchmark...(b *testing.B)` (go test -bench)",
                format="go-bench",
                build=GO_BUILD,
                build_comment=GO_BUILD_COMMENT,
                benchmark=f'exec {GO_RUN} > "$PERFBOT_RESULT"',
                notes=("each round runs every benchmark 3 times (-count 3), about 1 s each",),
            )
    return None


# ---- a Makefile target that runs go test -bench ------------------------------------------------

MAKEFILES = ("Makefile", "makefile", "GNUmakefile")
BENCH_TARGET = re.compile(r"^(bench|benchmark|benchmarks|perf)\s*:(?!=)", re.M)


def make_target(tree: Tree) -> Found | None:
    """A `bench:` (`benchmark:`, `perf:`) target whose recipe prints `go test -bench` output."""
    for name in MAKEFILES:
        if not tree.has(name):
            continue
        text = tree.text(name)
        for match in BENCH_TARGET.finditer(text):
            recipe = _recipe(text, match.end())
            if "go test" in recipe and "-bench" in recipe:
                target = match.group(1)
                return Found(
                    kind="make",
                    evidence=f"{name} has a `{target}` target that runs `go test -bench`",
                    format="go-bench",
                    build=GO_BUILD if tree.has("go.mod") else TRUE,
                    build_comment=GO_BUILD_COMMENT if tree.has("go.mod") else "",
                    benchmark=f'exec make -s {target} > "$PERFBOT_RESULT"',
                    notes=(f"the `{target}` target's output is read as `go test -bench` text",),
                )
    return None


def _recipe(text: str, start: int) -> str:
    lines = text[start:].split("\n")[1:]
    recipe = []
    for line in lines:
        if not line.startswith("\t"):
            break
        recipe.append(line)
    return "\n".join(recipe)


# ---- pytest-benchmark -------------------------------------------------------------------------

PYTEST_FIXTURE = re.compile(r"^\s*(?:async\s+)?def\s+test\w*\s*\([^)]*\bbenchmark\b", re.M)


def pytest_benchmark(tree: Tree) -> Found | None:
    """A test function that takes pytest-benchmark's `benchmark` fixture."""
    using = [p for p in tree.named("test_*.py", "*_test.py") if PYTEST_FIXTURE.search(tree.text(p))]
    if not using:
        return None
    where = _common_directory(using)
    env = {"PYTHONPATH": "src"} if any(p.parts[0] == "src" for p in tree.named("*.py")) else {}
    notes = ["`python` is the first on PATH in the step: a `.venv` or `venv` at the repository's "
             "root comes first (docs/local.md, \"Which Python a step runs\"); it needs pytest "
             "and pytest-benchmark"]  # fmt: skip
    if env:
        notes.append("PYTHONPATH=src: the code under test is the commit's, not an installed copy")
    return _pytest_job(where, using[0], env, notes)


def _pytest_job(where: str, first: PurePosixPath, env: dict[str, str], notes: list[str]) -> Found:
    return Found(
        kind="pytest-benchmark",
        evidence=f"{first} uses pytest-benchmark's `benchmark` fixture",
        format="pytest-benchmark",
        build=TRUE,
        build_comment="nothing to build: the tests import the commit's code as it is",
        benchmark=(
            f"exec python -m pytest {shlex.quote(where)} --benchmark-only -q "
            '-p no:cacheprovider --benchmark-json "$PERFBOT_RESULT"'
        ),
        env=env,
        notes=tuple(notes),
    )


def _common_directory(paths: list[PurePosixPath]) -> str:
    parents = [p.parent.parts for p in paths]
    common: list[str] = []
    for parts in zip(*parents, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) or "."


# ---- Google Benchmark -------------------------------------------------------------------------

GBENCH_LINK = re.compile(
    r"target_link_libraries\s*\(\s*([A-Za-z0-9_.+-]+)[^)]*?\bbenchmark(?:::benchmark(?:_main)?)?\b",
    re.S,
)
CMAKE_BUILD = ["sh", "-c", "cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build"]


def google_benchmark(tree: Tree) -> Found | None:
    """A CMake target linked with Google Benchmark (`benchmark::benchmark`)."""
    if not tree.has("CMakeLists.txt"):
        return None
    for path in tree.named("CMakeLists.txt"):
        match = GBENCH_LINK.search(tree.text(path))
        if match is None:
            continue
        target = match.group(1)
        binary = PurePosixPath("build", path.parent, target)
        return Found(
            kind="google-benchmark",
            evidence=f"{path} links `{target}` with Google Benchmark",
            format="google-benchmark",
            build=CMAKE_BUILD,
            build_comment="a Release build in build/ of the checkout, kept for the benchmark",
            benchmark=(
                f"exec ./{binary} --benchmark_repetitions=3 --benchmark_out_format=json "
                '--benchmark_out="$PERFBOT_RESULT"'
            ),
            notes=("needs cmake, a C++ compiler and Google Benchmark installed on this machine",),
        )
    return None


# ---- hyperfine --------------------------------------------------------------------------------

HYPERFINE_AT = re.compile(r"(?:^|[;&|(]|\bthen\b|\bdo\b)\s*@?-?\s*(hyperfine\s.*)$")
COMMAND_END = {";", "&&", "||", "|", "&", ">", ">>", "2>", "2>&1"}
EXPORTS = re.compile(r"--export-[a-z-]+")


def hyperfine(tree: Tree) -> Found | None:
    """A `hyperfine ...` command in a tracked script or Makefile, exported to JSON by perfbot."""
    for path in tree.named("*.sh", *MAKEFILES, "justfile", "*.mk", "*.bash"):
        for line in _logical_lines(tree.text(path)):
            match = HYPERFINE_AT.search(line.strip())
            if match is None:
                continue
            command = _hyperfine_command(match.group(1), make=path.name in MAKEFILES)
            if command is None:
                continue
            build, comment = _build_for(tree)
            return Found(
                kind="hyperfine",
                evidence=f"{path} runs `hyperfine`",
                format="hyperfine",
                build=build,
                build_comment=comment,
                benchmark=f'exec {command} --export-json "$PERFBOT_RESULT"',
                notes=("needs hyperfine on this machine (https://github.com/sharkdp/hyperfine)",),
            )
    return None


def _logical_lines(text: str) -> list[str]:
    return text.replace("\\\n", " ").splitlines()


def _hyperfine_command(text: str, *, make: bool) -> str | None:
    """The command without its own exports (perfbot's JSON replaces them); None if unusable."""
    if make:
        text = text.replace("$$", "$")
    if "{{" in text or ("$(" in text and make):
        return None  # Argo would substitute `{{`; a make variable is not known outside make
    try:
        words = shlex.split(text, comments=True)
    except ValueError:
        return None
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in COMMAND_END:
            break
        if EXPORTS.fullmatch(word):
            skip = True
            continue
        if EXPORTS.match(word) and "=" in word:
            continue
        kept.append(word)
    return shlex.join(kept) if len(kept) > 1 else None


def _build_for(tree: Tree) -> tuple[list[str], str]:
    if tree.has("Cargo.toml"):
        return ["cargo", "build", "--release"], "the release build the benchmark runs"
    if tree.has("go.mod"):
        return ["go", "build", "./..."], "the programs the benchmark runs"
    for name in MAKEFILES:
        if tree.has(name) and re.search(r"^(all|build)\s*:(?!=)", tree.text(name), re.M):
            target = re.search(r"^(all|build)\s*:(?!=)", tree.text(name), re.M)
            assert target is not None
            return ["make", target.group(1)], "what the benchmark runs"
    return TRUE, "nothing to build found: put the build command here if the benchmark needs one"


# The order is the preference when several are present: a project's own bench target first.
DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("make", make_target),
    ("pytest-benchmark", pytest_benchmark),
    ("go", go_bench),
    ("google-benchmark", google_benchmark),
    ("hyperfine", hyperfine),
)
LOOKED_FOR = (
    "a Makefile `bench` target that runs `go test -bench`, pytest-benchmark tests (a test taking "
    "the `benchmark` fixture), `func Benchmark...(b *testing.B)` in a Go module, a CMake target "
    "linked with Google Benchmark, a `hyperfine` command in a script or Makefile"
)


def detect(tree: Tree) -> list[Found]:
    """Every kind found, in order of preference."""
    return [found for _, detector in DETECTORS if (found := detector(tree)) is not None]
