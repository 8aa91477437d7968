"""What the benchmark driver measures itself around the job's command: CPU time, peak memory
and, where asked and available, instructions; per round and side, in `measured.tsv`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.pipeline.test_drivers import bench_env, fake_executable, run

HEADER = ["round", "user", "system", "max_rss", "instructions", "how"]
# Work the command does on head only: CPU in a grandchild, and a 64 MiB buffer it touches.
BURN = (
    'if [ "$PERFBOT_SIDE" = head ]; then '
    "python3 -c 'b = bytearray(64 << 20); sum(range(3_000_000))'; fi; "
    'echo {} > "$PERFBOT_RESULT"'
)
SHELL_BURN = (
    'if [ "$PERFBOT_SIDE" = head ]; then sh -c \'i=0; while [ $i -lt 200000 ]; '
    'do i=$((i+1)); done\'; fi; echo {} > "$PERFBOT_RESULT"'
)
# perf stat as the driver calls it: stat -x, -e instructions:u -o FILE -- COMMAND...
FAKE_PERF = """
shift 5; out=$1; shift 2
printf '# started\\n\\n%s,,instructions:u,0,100.00,,\\n' "{count}" > "$out"
exec "$@"
"""


def measured(tmp_path: Path, side: str) -> list[dict[str, str]]:
    lines = (tmp_path / "results" / side / "measured.tsv").read_text().splitlines()
    assert lines[0].split("\t") == HEADER
    return [dict(zip(HEADER, line.split("\t"), strict=True)) for line in lines[1:]]


def notes(tmp_path: Path, side: str) -> str:
    path = tmp_path / "results" / side / "measured.notes"
    return path.read_text() if path.exists() else ""


def cpu(row: dict[str, str]) -> float:
    return float(row["user"]) + float(row["system"])


def test_each_round_of_each_side_gets_its_cpu_time_and_peak_memory(tmp_path):
    result = run("benchmark", bench_env(tmp_path, "2"), "sh", "-c", BURN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    base, head = measured(tmp_path, "base"), measured(tmp_path, "head")
    assert [r["round"] for r in base] == [r["round"] for r in head] == ["1", "2"]
    assert {r["how"] for r in base + head} == {"wait4"}
    for light, heavy in zip(base, head, strict=True):
        # the grandchild's work is counted: the process tree, not only the shell
        assert cpu(heavy) > cpu(light) + 0.05
        assert int(heavy["max_rss"]) >= 64 << 20 > int(light["max_rss"]) > 0
    assert not list((tmp_path / "results" / "base").glob(".*"))  # scratch files removed


def test_without_a_working_python_cpu_comes_from_the_shell_and_memory_is_said_missing(tmp_path):
    env = bench_env(tmp_path, "1")
    env["PATH"] = f"{fake_executable(tmp_path / 'bin', 'python3', 'exit 1')}:{os.environ['PATH']}"
    result = run("benchmark", env, "sh", "-c", SHELL_BURN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (base,), (head,) = measured(tmp_path, "base"), measured(tmp_path, "head")
    assert base["how"] == head["how"] == "times"
    assert cpu(head) > cpu(base)
    assert head["max_rss"] == ""
    assert head["instructions"] == ""
    assert "max RSS: not measured" in notes(tmp_path, "head")


@pytest.mark.parametrize(
    ("perf", "count", "said"),
    [
        ("{count}", "987654321", ""),
        ("<not supported>", "", "instructions: not measured: perf stat -e instructions:u"),
        (None, "", "instructions: not measured: perf stat -e instructions:u"),
    ],
)
def test_instructions_are_counted_where_perf_can_and_said_missing_where_not(
    tmp_path, perf, count, said
):
    env = bench_env(tmp_path, "1") | {"PERFBOT_MEASURE": "cpu rss instructions"}
    bin_dir = tmp_path / "bin"
    if perf is None:  # a perf that does not run (Debian's wrapper without the kernel's tools)
        fake_executable(bin_dir, "perf", "exit 2")
    else:
        fake_executable(bin_dir, "perf", FAKE_PERF.replace("{count}", perf.format(count=count)))
    env["PATH"] = f"{bin_dir}:{os.environ['PATH']}"
    result = run("benchmark", env, "sh", "-c", BURN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (head,) = measured(tmp_path, "head")
    assert head["instructions"] == count
    assert cpu(head) > 0
    if said:
        assert said in notes(tmp_path, "head")
        assert said in result.stderr
    else:
        assert "instructions" not in notes(tmp_path, "head")


def test_instructions_are_not_counted_unless_asked(tmp_path):
    env = bench_env(tmp_path, "1")
    bin_dir = fake_executable(tmp_path / "bin", "perf", 'echo called >> "$LOG.perf"; exit 1')
    env["PATH"] = f"{bin_dir}:{os.environ['PATH']}"
    result = run("benchmark", env, "sh", "-c", BURN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not Path(env["LOG"] + ".perf").exists()
    assert measured(tmp_path, "head")[0]["instructions"] == ""


def test_nothing_is_measured_when_the_job_asks_for_nothing(tmp_path):
    env = bench_env(tmp_path, "1") | {"PERFBOT_MEASURE": ""}
    result = run("benchmark", env, "sh", "-c", BURN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "results" / "head" / "measured.tsv").exists()


@pytest.mark.parametrize("measure", ["cpu rss", "cpu", ""])
def test_the_command_keeps_its_exit_status_and_environment_under_measurement(tmp_path, measure):
    env = bench_env(tmp_path, "1") | {"PERFBOT_MEASURE": measure}
    command = 'echo "$PERFBOT_SIDE $PERFBOT_ROUND" >> "$LOG"; [ "$PERFBOT_SIDE" = base ] || exit 7'
    result = run(
        "benchmark", env, "sh", "-c", command + '; echo {} > "$PERFBOT_RESULT"', cwd=tmp_path
    )
    assert result.returncode == 2
    assert "round 1 on head failed" in result.stderr
    assert Path(env["LOG"]).read_text().split("\n")[:2] == ["base 1", "head 1"]


def test_a_side_that_fails_adds_no_measured_line(tmp_path):
    command = '[ "$PERFBOT_SIDE" = base ] && echo {} > "$PERFBOT_RESULT"'
    result = run("benchmark", bench_env(tmp_path, "1"), "sh", "-c", command, cwd=tmp_path)
    assert result.returncode == 2
    assert len(measured(tmp_path, "base")) == 1
    assert measured(tmp_path, "head") == []
    for side in ("base", "head"):  # no scratch file left behind, no notes without a reason
        assert (
            sorted(p.name for p in (tmp_path / "results" / side).iterdir() if p.name[0] == ".")
            == []
        )
    assert not (tmp_path / "results" / "head" / "measured.notes").exists()


def test_an_unknown_measure_is_refused(tmp_path):
    env = bench_env(tmp_path, "1") | {"PERFBOT_MEASURE": "cpu $(touch pwned)"}
    result = run("benchmark", env, "sh", "-c", BURN, cwd=tmp_path)
    assert result.returncode == 2
    assert "measure" in result.stderr
    assert not list(tmp_path.rglob("pwned"))
