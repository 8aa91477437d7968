"""The fixed shell drivers, run for real with `sh` (POSIX; dash where /bin/sh is dash)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from workflows.local.selfreport import side_running
from workflows.pipeline import drivers

SHA = "0123456789abcdef0123456789abcdef01234567"


def run(script: str, env: dict[str, str], *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    full_env = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        ["sh", "-c", drivers.load(script), f"perfbot-{script}", *argv],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
    )


def fake_executable(directory: Path, name: str, body: str) -> Path:
    """A recording fake of a tool the driver calls (crane, perfbot)."""
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return directory


# -- check ------------------------------------------------------------------------------------


def check_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {
        "PERFBOT_SIDE": "head",
        "PERFBOT_SHA": SHA,
        "PERFBOT_REBUILD": "true",
        "PERFBOT_BUILD_KIND": "command",
        "PERFBOT_IMAGE": "",
        "PERFBOT_OUTPUT": str(tmp_path / "out" / "build"),
        **overrides,
    }


@pytest.mark.parametrize(
    ("kind", "rebuild", "image_exists", "local", "expected"),
    [
        ("command", "true", False, "", "true"),
        ("image", "true", False, "", "true"),
        ("image", "true", True, "", "false"),
        ("image", "false", True, "", "false"),
        ("image", "true", True, "1", "true"),  # locally an image never counts
    ],
)
def test_check_decides_whether_to_build(tmp_path, kind, rebuild, image_exists, local, expected):
    bin_dir = fake_executable(tmp_path / "bin", "crane", f"exit {0 if image_exists else 1}\n")
    env = check_env(
        tmp_path,
        PERFBOT_BUILD_KIND=kind,
        PERFBOT_REBUILD=rebuild,
        PERFBOT_IMAGE="r.example/x:" + SHA,
        PERFBOT_LOCAL=local,
    )
    env["PATH"] = f"{bin_dir}:{os.environ['PATH']}"
    result = run("check", env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "build").read_text() == expected


@pytest.mark.parametrize("kind", ["image", "command"])
def test_check_fails_clearly_when_reuse_is_asked_but_nothing_is_built(tmp_path, kind):
    bin_dir = fake_executable(tmp_path / "bin", "crane", "exit 1\n")
    env = check_env(
        tmp_path,
        PERFBOT_BUILD_KIND=kind,
        PERFBOT_REBUILD="false",
        PERFBOT_IMAGE="r.example/x:" + SHA,
    )
    env["PATH"] = f"{bin_dir}:{os.environ['PATH']}"
    result = run("check", env, cwd=tmp_path)
    assert result.returncode == 3
    assert "rebuild=true" in result.stderr
    assert not (tmp_path / "out" / "build").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("PERFBOT_SHA", "", "hex commit id"),
        ("PERFBOT_SHA", "abc", "7 to 40 hex digits"),
        ("PERFBOT_SHA", "A" * 40, "hex commit id"),
        ("PERFBOT_SHA", "a" * 41, "7 to 40 hex digits"),
        ("PERFBOT_SHA", "main", "hex commit id"),
        ("PERFBOT_REBUILD", "yes", "rebuild must be true or false"),
        ("PERFBOT_SIDE", "other", "side must be base or head"),
    ],
)
def test_check_refuses_bad_values(tmp_path, field, value, message):
    result = run("check", check_env(tmp_path, **{field: value}), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr


# -- build ------------------------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    (source / "docs").mkdir(parents=True)
    (source / "docs" / "readme.txt").write_text("hello")
    (source / "main.c").write_text("int main(){}")
    return source


def build_env(tmp_path: Path, keep: str) -> dict[str, str]:
    return {
        "PERFBOT_SIDE": "base",
        "PERFBOT_SHA": SHA,
        "PERFBOT_OUT": str(tmp_path / "workspace" / "base"),
        "PERFBOT_KEEP": keep,
    }


def test_build_runs_the_command_in_the_checkout_and_keeps_the_listed_paths(tmp_path, checkout):
    command = ["sh", "-c", "mkdir -p bin && echo built > bin/tool"]
    result = run("build", build_env(tmp_path, "bin/tool\ndocs"), *command, cwd=checkout)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "workspace" / "base"
    assert (out / "bin" / "tool").read_text() == "built\n"
    assert (out / "docs" / "readme.txt").read_text() == "hello"
    assert not (out / "main.c").exists()


def test_build_keeps_the_whole_checkout_for_dot_and_replaces_an_old_output(tmp_path, checkout):
    out = tmp_path / "workspace" / "base"
    out.mkdir(parents=True)
    (out / "stale").write_text("from a retried attempt")
    result = run("build", build_env(tmp_path, "."), "true", cwd=checkout)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["docs", "main.c"]


def test_build_fails_when_a_kept_path_was_not_produced(tmp_path, checkout):
    result = run("build", build_env(tmp_path, "bin/missing"), "true", cwd=checkout)
    assert result.returncode == 2
    assert "bin/missing does not exist" in result.stderr


def test_build_fails_with_the_build_commands_status(tmp_path, checkout):
    result = run("build", build_env(tmp_path, "."), "sh", "-c", "exit 7", cwd=checkout)
    assert result.returncode == 7


# -- benchmark --------------------------------------------------------------------------------

RECORD = (
    'echo "$PERFBOT_SIDE $PERFBOT_ROUND $PERFBOT_TARGET $(pwd)" >> "$LOG"; '
    'echo {} > "$PERFBOT_RESULT"'
)


def bench_env(tmp_path: Path, rounds: str = "3", kind: str = "url") -> dict[str, str]:
    env = {
        "PERFBOT_ROUNDS": rounds,
        "PERFBOT_RESULTS": str(tmp_path / "results"),
        "PERFBOT_RESULT_SUFFIX": ".json",
        "PERFBOT_TARGET_KIND": kind,
        "LOG": str(tmp_path / "log"),
    }
    if kind == "url":
        env.update(
            PERFBOT_BASE_HOST="10.0.0.1",
            PERFBOT_BASE_PORT="8000",
            PERFBOT_HEAD_HOST="10.0.0.2",
            PERFBOT_HEAD_PORT="8001",
        )
    else:
        for side in ("base", "head"):
            (tmp_path / "workspace" / side).mkdir(parents=True)
            env[f"PERFBOT_{side.upper()}_DIR"] = str(tmp_path / "workspace" / side)
    return env


def test_benchmark_rounds_alternate_the_order_ab_ba_against_each_sides_url(tmp_path):
    result = run("benchmark", bench_env(tmp_path, "4"), "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line.split()[:3] for line in (tmp_path / "log").read_text().splitlines()]
    base, head = "http://10.0.0.1:8000", "http://10.0.0.2:8001"
    assert lines == [
        ["base", "1", base],
        ["head", "1", head],
        ["head", "2", head],
        ["base", "2", base],
        ["base", "3", base],
        ["head", "3", head],
        ["head", "4", head],
        ["base", "4", base],
    ]
    for side in ("base", "head"):
        files = sorted(p.name for p in (tmp_path / "results" / side).glob("round-*"))
        assert files == [f"round-00{n}.json" for n in range(1, 5)]


def test_a_command_line_benchmark_runs_inside_each_sides_build(tmp_path):
    result = run("benchmark", bench_env(tmp_path, "1", "dir"), "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in (tmp_path / "log").read_text().splitlines()]
    workspace = tmp_path / "workspace"
    assert lines == [
        ["base", "1", str(workspace / "base"), str((workspace / "base").resolve())],
        ["head", "1", str(workspace / "head"), str((workspace / "head").resolve())],
    ]


def test_a_round_that_writes_no_result_fails_the_benchmark(tmp_path):
    result = run("benchmark", bench_env(tmp_path), "true", cwd=tmp_path)
    assert result.returncode == 2
    assert "round 1 on base wrote no result" in result.stderr


def test_a_failing_round_names_the_round_and_side(tmp_path):
    command = ["sh", "-c", '[ "$PERFBOT_SIDE" = base ] && echo {} > "$PERFBOT_RESULT"']
    result = run("benchmark", bench_env(tmp_path, "2"), *command, cwd=tmp_path)
    assert result.returncode == 2
    assert "round 1 on head failed" in result.stderr


MANIFEST_HEADER = [
    "round", "position", "started", "finished", "node", "cpu", "kernel", "image",
    "cpus", "load_before", "load_during", "steal",
]  # fmt: skip


def manifest(tmp_path: Path, side: str) -> list[list[str]]:
    text = (tmp_path / "results" / side / "rounds.tsv").read_text()
    assert text.endswith("\n")
    return [line.split("\t") for line in text.split("\n")[:-1]]


def first_cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return ""
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return models[0] if models else ""


def test_each_side_gets_a_round_manifest_with_its_position_times_and_machine(tmp_path):
    env = bench_env(tmp_path, "2") | {"PERFBOT_NODE_NAME": "node-7", "PERFBOT_IMAGE": "r/b:1"}
    result = run("benchmark", env, "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    machine = ["node-7", first_cpu_model(), os.uname().release, "r/b:1"]
    for side, positions in (("base", ["1", "2"]), ("head", ["2", "1"])):
        header, *rows = manifest(tmp_path, side)
        assert header == MANIFEST_HEADER
        assert [row[:2] for row in rows] == [["1", positions[0]], ["2", positions[1]]]
        assert [row[4:8] for row in rows] == [machine, machine]
        for row in rows:
            assert 0 < float(row[2]) <= float(row[3])


def test_the_second_side_of_a_round_starts_after_the_first_finished(tmp_path):
    result = run("benchmark", bench_env(tmp_path, "2"), "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {side: manifest(tmp_path, side)[1:] for side in ("base", "head")}
    round_1 = (rows["base"][0], rows["head"][0])
    round_2 = (rows["head"][1], rows["base"][1])
    for first, second in (round_1, round_2):
        assert float(first[3]) <= float(second[2])


def test_the_manifest_names_the_host_when_no_node_name_is_given(tmp_path):
    result = run("benchmark", bench_env(tmp_path, "1"), "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    row = manifest(tmp_path, "base")[1]
    assert row[4] == subprocess.run(["hostname"], capture_output=True, text=True).stdout.strip()
    assert row[7] == ""


@pytest.mark.parametrize(
    ("date_prints", "started"),
    [
        ("1700000000.123456789", "1700000000.123456789"),  # GNU, busybox
        ("1700000000.N", "1700000000"),  # BSD: no %N
        ("1700000000.%N", "1700000000"),
        ("", "1700000000"),
    ],
)
def test_the_manifest_times_have_a_fraction_only_where_date_gives_one(
    tmp_path, date_prints, started
):
    body = f'case "$1" in +%s.%N) printf "%s\\n" "{date_prints}" ;; *) echo 1700000000 ;; esac\n'
    env = bench_env(tmp_path, "1")
    env["PATH"] = f"{fake_executable(tmp_path / 'bin', 'date', body)}:{os.environ['PATH']}"
    result = run("benchmark", env, "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert manifest(tmp_path, "base")[1][2:4] == [started, started]


HOSTILE = "evil\tnode\n$(touch pwned)`touch pwned2` \"q' %s \\n ${HOME}"


def test_a_hostile_node_name_is_written_inert_on_one_line(tmp_path):
    env = bench_env(tmp_path, "1") | {"PERFBOT_NODE_NAME": HOSTILE, "PERFBOT_IMAGE": "a\tb"}
    result = run("benchmark", env, "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    header, row = manifest(tmp_path, "head")
    assert len(row) == len(header)
    assert row[4] == HOSTILE.replace("\t", " ").replace("\n", " ")
    assert row[7] == "a b"
    assert not list(tmp_path.rglob("pwned*"))


def test_a_side_that_fails_adds_no_manifest_line(tmp_path):
    command = ["sh", "-c", '[ "$PERFBOT_SIDE" = base ] && echo {} > "$PERFBOT_RESULT"']
    result = run("benchmark", bench_env(tmp_path, "2"), *command, cwd=tmp_path)
    assert result.returncode == 2
    assert [row[:2] for row in manifest(tmp_path, "base")[1:]] == [["1", "1"]]
    assert manifest(tmp_path, "head") == [MANIFEST_HEADER]


def test_the_progress_file_counts_the_sides_done_out_of_both_sides_of_every_round(tmp_path):
    progress = tmp_path / "progress"
    env = bench_env(tmp_path, "2") | {"ARGO_PROGRESS_FILE": str(progress)}
    command = 'cat "$ARGO_PROGRESS_FILE" >> "$LOG"; echo {} > "$PERFBOT_RESULT"'
    result = run("benchmark", env, "sh", "-c", command, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "log").read_text().splitlines() == ["0/4", "1/4", "2/4", "3/4"]
    assert progress.read_text() == "4/4\n"


def test_the_local_display_names_the_side_the_driver_is_running(tmp_path):
    env = bench_env(tmp_path, "5") | {"ARGO_PROGRESS_FILE": str(tmp_path / "progress")}
    command = (
        'echo "$(cat "$ARGO_PROGRESS_FILE") $PERFBOT_ROUND $PERFBOT_SIDE" >> "$LOG"; '
        'echo {} > "$PERFBOT_RESULT"'
    )
    result = run("benchmark", env, "sh", "-c", command, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for line in (tmp_path / "log").read_text().splitlines():
        progress, round_, side = line.split()
        assert side_running(int(progress.split("/")[0])) == (int(round_), side)


def test_no_progress_file_is_written_when_argo_names_none(tmp_path):
    result = run("benchmark", bench_env(tmp_path, "1"), "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log", "results"]


@pytest.mark.parametrize(
    ("command", "hinted"),
    [
        (["sh", "-c", ': > "$PERFBOT_RESULT"', "sh", "$PERFBOT_RESULT"], False),
        (["cp", "/dev/null", "$PERFBOT_RESULT"], True),
        (["cp", "/dev/null", "${PERFBOT_RESULT}"], True),
        (["/bin/sh", "-c", 'true "$PERFBOT_RESULT"'], False),
        (["true", "PERFBOT_RESULT"], False),
        (["true"], False),
    ],
)
def test_a_missing_result_explains_that_a_list_command_is_not_expanded(tmp_path, command, hinted):
    result = run("benchmark", bench_env(tmp_path, "1"), *command, cwd=tmp_path)
    assert result.returncode == 2
    assert "round 1 on base wrote no result" in result.stderr
    assert ("not expanded" in result.stderr) is hinted
    assert ("command: [sh, -c, " in result.stderr) is hinted


@pytest.mark.parametrize("rounds", ["", "0", "007", "abc", "1001", "99999", "-3", "2 ", "1e3"])
def test_benchmark_refuses_rounds_that_are_not_1_to_1000(tmp_path, rounds):
    result = run("benchmark", bench_env(tmp_path, rounds), "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 2
    assert "rounds must be a whole number from 1 to 1000" in result.stderr
    assert not (tmp_path / "log").exists()


# -- processes a round --------------------------------------------------------------------------

PROCESS_RECORD = (
    'echo "$PERFBOT_SIDE $PERFBOT_ROUND $PERFBOT_PROCESS $$" >> "$LOG"; echo {} > "$PERFBOT_RESULT"'
)


def test_each_round_runs_the_command_in_as_many_fresh_processes_as_asked(tmp_path):
    env = bench_env(tmp_path, "2") | {"PERFBOT_PROCESSES": "3"}
    result = run("benchmark", env, "sh", "-c", PROCESS_RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in (tmp_path / "log").read_text().splitlines()]
    assert [line[:3] for line in lines] == [
        [side, r, p]
        for r, order in (("1", ("base", "head")), ("2", ("head", "base")))
        for side in order
        for p in ("1", "2", "3")
    ]
    assert len({line[3] for line in lines}) == len(lines)  # a fresh process each time
    for side in ("base", "head"):
        files = sorted(p.name for p in (tmp_path / "results" / side).glob("round-*"))
        assert files == [f"round-00{r}-p{p}.json" for r in (1, 2) for p in (1, 2, 3)]
        assert [row[:2] for row in manifest(tmp_path, side)[1:]] == [
            ["1", "1" if side == "base" else "2"],
            ["2", "2" if side == "base" else "1"],
        ]


@pytest.mark.parametrize(("processes", "name"), [(None, "round-001.json"), ("1", "round-001.json")])
def test_one_process_a_round_keeps_the_round_file_name(tmp_path, processes, name):
    env = bench_env(tmp_path, "1") | ({"PERFBOT_PROCESSES": processes} if processes else {})
    result = run("benchmark", env, "sh", "-c", PROCESS_RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "results" / "base").glob("round-*")] == [name]
    assert [line.split()[2] for line in (tmp_path / "log").read_text().splitlines()] == ["1", "1"]


def test_a_process_that_writes_no_result_is_named(tmp_path):
    env = bench_env(tmp_path, "1") | {"PERFBOT_PROCESSES": "2"}
    command = '[ "$PERFBOT_PROCESS" = 2 ] || echo {} > "$PERFBOT_RESULT"'
    result = run("benchmark", env, "sh", "-c", command, cwd=tmp_path)
    assert result.returncode == 2
    assert "round 1 on base wrote no result" in result.stderr
    assert "round-001-p2.json" in result.stderr


def test_a_failing_process_stops_the_round(tmp_path):
    env = bench_env(tmp_path, "1") | {"PERFBOT_PROCESSES": "3"}
    command = (
        'echo "$PERFBOT_PROCESS" >> "$LOG"; '
        '[ "$PERFBOT_PROCESS" != 2 ] && echo {} > "$PERFBOT_RESULT"'
    )
    result = run("benchmark", env, "sh", "-c", command, cwd=tmp_path)
    assert result.returncode == 2
    assert "round 1 on base failed" in result.stderr
    assert "process 2 of 3" in result.stderr
    assert (tmp_path / "log").read_text().split() == ["1", "2"]


@pytest.mark.parametrize("processes", ["", "0", "01", "x", "101", "2 "])
def test_benchmark_refuses_processes_that_are_not_1_to_100(tmp_path, processes):
    env = bench_env(tmp_path, "1") | {"PERFBOT_PROCESSES": processes}
    result = run("benchmark", env, "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 2
    assert "processes must be a whole number from 1 to 100" in result.stderr
    assert not (tmp_path / "log").exists()


# -- the machine's load -------------------------------------------------------------------------

LOAD_COLUMNS = ["cpus", "load_before", "load_during", "steal"]


def fake_proc(directory: Path, load: str, stat: str | None) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "loadavg").write_text(f"{load} 0.50 0.25 1/100 4242\n")
    if stat is not None:
        (directory / "stat").write_text(stat)
    return directory


# The command moves the counters on: 1,000 ticks more in all, 80 of them stolen (8 %); the
# load read after it is the one it leaves.
BUSY_COMMAND = (
    'printf "cpu  %s\\nintr 1\\n" "$NEXT" > "$PERFBOT_PROC/stat"; '
    'echo "7.50 1 1 1/1 1" > "$PERFBOT_PROC/loadavg"; echo {} > "$PERFBOT_RESULT"'
)


@pytest.mark.parametrize(
    ("stat", "following", "steal"),
    [
        ("cpu  100 0 100 700 0 0 0 100 0 0\n", "200 0 200 1420 0 0 0 180 0 0", "8.0"),
        ("cpu  100 0 100 700 0 0 0\n", "200 0 200 1300 0 0 0", ""),  # an old kernel: no steal
        (None, "1 2 3 4 5 6 7 8", ""),  # no /proc/stat at all
    ],
)
def test_the_manifest_records_the_load_before_and_during_each_side_and_the_steal(
    tmp_path, stat, following, steal
):
    proc = fake_proc(tmp_path / "proc", "3.25", stat)
    env = bench_env(tmp_path, "1") | {"PERFBOT_PROC": str(proc), "NEXT": following}
    result = run("benchmark", env, "sh", "-c", BUSY_COMMAND, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    header, row = manifest(tmp_path, "base")
    assert header == MANIFEST_HEADER
    values = dict(zip(header, row, strict=True))
    assert int(values["cpus"]) == os.cpu_count()
    assert (values["load_before"], values["load_during"]) == ("3.25", "7.50")
    assert values["steal"] == steal


def test_an_unreadable_load_is_left_empty(tmp_path):
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "loadavg").write_text("garbage; rm -rf /\n")
    env = bench_env(tmp_path, "1") | {"PERFBOT_PROC": str(proc)}
    result = run("benchmark", env, "sh", "-c", RECORD, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    values = dict(zip(*manifest(tmp_path, "head"), strict=True))
    assert (values["load_before"], values["load_during"], values["steal"]) == ("", "", "")


# -- compare ----------------------------------------------------------------------------------


def test_compare_writes_every_report_and_the_verdict_in_one_run(tmp_path):
    record = (
        'echo "$*" >> "$LOG"\n'
        'while [ "$#" -gt 0 ]; do\n'
        '  [ "$1" = --output ] && echo report > "$2"\n'
        '  case "$2" in verdict=*) echo regressed > "${2#verdict=}" ;; esac\n'
        "  shift\n"
        "done\n"
    )
    bin_dir = fake_executable(tmp_path / "bin", "perfbot", record)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "LOG": str(tmp_path / "log")}
    out = tmp_path / "out"
    result = run(
        "compare", env, "in/base", "in/head", str(out), "--threshold", "0.05", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "log").read_text().splitlines() == [
        f"compare in/base in/head --format json --output {out}/report.json "
        f"--write markdown={out}/report.md --write html={out}/report.html "
        f"--write text={out}/report.txt --write verdict={out}/verdict --threshold 0.05",
    ]
    assert (out / "verdict").read_text() == "regressed\n"


@pytest.mark.parametrize(
    ("missing", "round_side"),
    [("base", "round 1 on base"), ("head", "round 1 on head")],
)
def test_a_round_whose_build_directory_is_missing_fails_and_runs_nothing(
    tmp_path, example_templates, missing, round_side
):
    """`set -e` does not act inside `( ... ) || fail`: a failed `cd` must stop the round itself,
    not run the command in the wrong directory. Run as the rendered template runs it."""
    (step,) = [
        t
        for t in example_templates["perf-ripgrep-search.yaml"]["spec"]["templates"]
        if t["name"] == "benchmark"
    ]
    sh, dash_c, script, name = step["container"]["command"][:4]
    env = bench_env(tmp_path, "1", "dir")
    (tmp_path / "workspace" / missing).rmdir()
    result = subprocess.run(
        [sh, dash_c, script, name, "sh", "-c", RECORD],
        env={"PATH": os.environ["PATH"], **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert f"{round_side} failed" in result.stderr
    assert "cannot enter" in result.stderr
    ran = (tmp_path / "log").read_text().split() if (tmp_path / "log").exists() else []
    assert missing not in ran  # the command never ran for the side without its directory
