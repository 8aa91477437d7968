"""`perfbot init`: which kind it finds in a repository, and what it writes and prints."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.init.conftest import GO_BENCH, GO_CODE, GO_MOD, KINDS, PYTEST_BENCH, files
from workflows.cli import main
from workflows.config import load_config


def init(*args: str):
    return CliRunner().invoke(main, ["init", *args])


GO_BUILD = ["go", "test", "-run", "^$", "./..."]
# kind -> (format, what the benchmark command must contain, what the build runs)
EXPECTED = {
    "pytest-benchmark": (
        "pytest-benchmark", "python -m pytest tests --benchmark-only", ["true"]),
    "go": ("go-bench", "go test -run '^$' -bench . -benchmem", GO_BUILD),
    "make": ("go-bench", 'make -s bench > "$PERFBOT_RESULT"', GO_BUILD),
    "google-benchmark": (
        "google-benchmark", "./build/sort_bench --benchmark_repetitions=3", ["sh", "-c"]),
    "hyperfine": (
        "hyperfine", "hyperfine --warmup 3 'grep -c foo data.txt' 'grep -cF foo data.txt' "
        '--export-json "$PERFBOT_RESULT"', ["true"]),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_detected_and_written_as_a_valid_job(make_repo, kind):
    root = make_repo(KINDS[kind])

    result = init("--repo", str(root))

    assert result.exit_code == 0, result.output
    config = load_config(root / "perfbot.yaml")
    [(repo_name, repo)] = config.repos.items()
    assert repo_name == "local/project"
    job = repo.jobs[repo.default_job]
    fmt, command, build = EXPECTED[kind]
    assert job.benchmark.format == fmt
    assert job.benchmark.command[:2] == ["sh", "-c"]
    assert command in job.benchmark.command[2]
    assert "$PERFBOT_RESULT" in job.benchmark.command[2]
    assert job.build.command[: len(build)] == build
    assert job.deploy is None
    assert f"job {repo.default_job} of local/project" in result.output
    assert "next: perfbot run --local" in result.output


@pytest.mark.parametrize(
    ("name", "tracked", "untracked"),
    [
        ("an empty project", {"README.md": "hi\n"}, {}),
        ("pytest-benchmark only listed as a dependency",
         {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["pytest-benchmark"]\n',
          "tests/test_plain.py": "def test_one():\n    assert True\n"}, {}),
        ("a benchmark test that is not committed", {"lib.py": "X = 1\n"},
         files(**{"tests__test_speed.py": PYTEST_BENCH})),
        ("a Go module without benchmarks",
         {"go.mod": GO_MOD, "sum.go": GO_CODE, "sum_test.go": "package sumlib\n"}, {}),
        ("a Go benchmark outside a module", {"sum.go": GO_CODE, "sum_test.go": GO_BENCH}, {}),
        ("a Makefile bench target of unknown output",
         {"Makefile": "bench:\n\t./run-benchmarks --fast\n"}, {}),
        ("hyperfine only mentioned in a comment", {"notes.sh": "# try hyperfine later\n"}, {}),
        ("a CMake project without Google Benchmark",
         {"CMakeLists.txt": "project(x)\nadd_executable(x main.cc)\n"
                            "target_link_libraries(x PRIVATE benchmark_utils)\n"}, {}),
    ],
)  # fmt: skip
def test_nothing_found_is_a_clear_error_with_exit_2(make_repo, name, tracked, untracked):
    root = make_repo(tracked, untracked)

    result = init("--repo", str(root))

    assert result.exit_code == 2, (name, result.output)
    assert "no benchmark found in the tracked files" in result.output
    assert "pytest-benchmark" in result.output  # says what it looked for
    assert "docs/config.md" in result.output
    assert not (root / "perfbot.yaml").exists()
    assert "Traceback" not in result.output


def test_an_existing_config_is_kept_without_force(make_repo):
    root = make_repo(KINDS["go"])
    (root / "perfbot.yaml").write_text("# mine\n")

    refused = init("--repo", str(root))
    assert refused.exit_code == 2
    assert "exists; pass --force" in refused.output
    assert (root / "perfbot.yaml").read_text() == "# mine\n"

    forced = init("--repo", str(root), "--force")
    assert forced.exit_code == 0, forced.output
    assert load_config(root / "perfbot.yaml").job("project-bench") is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "cargo"], "--kind cargo: expected one of"),
        (["--name", "no-slash"], "--name no-slash: expected owner/name"),
        (["--kind", "hyperfine"], "no benchmark found"),  # asked for a kind that is not there
    ],
)
def test_bad_options_exit_2(make_repo, args, message):
    root = make_repo(KINDS["go"])
    result = init("--repo", str(root), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (root / "perfbot.yaml").exists()


def test_not_a_git_repository_exits_2(tmp_path):
    result = init("--repo", str(tmp_path))
    assert result.exit_code == 2
    assert "not in a git repository" in result.output


def test_several_kinds_prefer_the_projects_own_target_and_name_the_others(make_repo):
    root = make_repo(KINDS["make"])

    result = init("--repo", str(root))

    assert result.exit_code == 0, result.output
    assert "Makefile has a `bench` target" in result.output
    assert "also found: go" in result.output
    chosen = init("--repo", str(root), "--kind", "go", "--force")
    assert chosen.exit_code == 0, chosen.output
    job = load_config(root / "perfbot.yaml").job("project-bench")
    assert "make" not in job.benchmark.command[2]


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/me/textkit.git", "me/textkit"),
        ("git@github.com:me/textkit.git", "me/textkit"),
        ("https://gitlab.example.com/me/textkit.git", "local/project"),
    ],
)
def test_the_repository_is_named_owner_name_from_origin(make_repo, remote, expected):
    root = make_repo(KINDS["go"])
    from tests.local.conftest import git

    git(root, "remote", "add", "origin", remote)
    result = init("--repo", str(root))
    assert result.exit_code == 0, result.output
    assert list(load_config(root / "perfbot.yaml").repos) == [expected]


def test_a_src_layout_measures_the_commits_code(make_repo):
    root = make_repo(files(**{"src__textkit__core.py": "X = 1\n",
                              "tests__test_speed.py": PYTEST_BENCH}))  # fmt: skip
    assert init("--repo", str(root)).exit_code == 0
    job = load_config(root / "perfbot.yaml").job("project-bench")
    assert job.benchmark.env == {"PYTHONPATH": "src"}


def test_the_written_file_explains_itself(make_repo):
    root = make_repo(KINDS["go"])
    assert init("--repo", str(root)).exit_code == 0
    text = (root / "perfbot.yaml").read_text()
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 10
    assert "sum_test.go has `func Benchmark" in text
    assert "builder_image" in text  # what Argo would need besides
    assert max(len(line) for line in comments) <= 100


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["go", "make"])
def test_the_written_job_runs_as_written_with_perfbot_run_local(
    make_repo, kind, tmp_path, monkeypatch
):
    """The tools these kinds need are the suite's own prerequisites (Go), so they run for real;
    a short -benchtime keeps it quick and changes nothing the config says."""
    root = make_repo(KINDS[kind])
    assert init("--repo", str(root)).exit_code == 0
    monkeypatch.setenv("GOFLAGS", "-benchtime=20ms")
    out = tmp_path / "out"

    result = CliRunner().invoke(
        main, ["run", "--local", "--repo", str(root), "--base", "HEAD", "--rounds", "2",
               "--quiet", "--out", str(out)],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "BenchmarkSum" in (out / "report.md").read_text()
    assert sorted(p.name for p in (out / "results" / "head").glob("round-*")) == [
        "round-001.txt",
        "round-002.txt",
    ]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_written_comments_fit_the_line_length(make_repo, kind):
    root = make_repo(KINDS[kind])
    assert init("--repo", str(root)).exit_code == 0
    text = (root / "perfbot.yaml").read_text()
    long = [line for line in text.splitlines() if line.lstrip().startswith("#") and len(line) > 100]
    assert long == []
