"""Small repositories, one per kind of benchmark `perfbot init` knows, made in tmp dirs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.local.conftest import git

GO_MOD = "module example.com/sumlib\n\ngo 1.21\n"
GO_CODE = "package sumlib\n\nfunc Sum(xs []int) (t int) {\n\tfor _, x := range xs {\n\t\tt += x\n\t}\n\treturn\n}\n"  # noqa: E501
GO_BENCH = """\
package sumlib

import "testing"

func BenchmarkSum(b *testing.B) {
	xs := make([]int, 1000)
	for i := 0; i < b.N; i++ {
		Sum(xs)
	}
}
"""
PYTEST_BENCH = "def test_sorting(benchmark):\n    benchmark(sorted, [3, 1, 2])\n"
CMAKE_GBENCH = """\
cmake_minimum_required(VERSION 3.16)
project(fastsort CXX)
find_package(benchmark REQUIRED)
add_executable(sort_bench bench/sort_bench.cc)
target_link_libraries(sort_bench PRIVATE benchmark::benchmark_main)
"""
HYPERFINE_SH = """\
#!/bin/sh
# compare the two search modes
hyperfine --warmup 3 --export-json old.json \\
  'grep -c foo data.txt' 'grep -cF foo data.txt'
"""
MAKE_GO = "build:\n\tgo build ./...\n\nbench:\n\tgo test -run '^$$' -bench . ./...\n"


def files(**named: str) -> dict[str, str]:
    """path -> text, with `__` in a keyword standing for `/` (tests__a.py: tests/a.py)."""
    return {name.replace("__", "/"): text for name, text in named.items()}


# Each kind's smallest repository, and repositories that must not be taken for one.
KINDS: Mapping[str, dict[str, str]] = {
    "pytest-benchmark": files(**{"tests__test_speed.py": PYTEST_BENCH, "lib.py": "X = 1\n"}),
    "go": {"go.mod": GO_MOD, "sum.go": GO_CODE, "sum_test.go": GO_BENCH},
    "make": {"go.mod": GO_MOD, "sum.go": GO_CODE, "sum_test.go": GO_BENCH, "Makefile": MAKE_GO},
    "google-benchmark": {"CMakeLists.txt": CMAKE_GBENCH, "bench/sort_bench.cc": "// bench\n"},
    "hyperfine": {"bench.sh": HYPERFINE_SH, "data.txt": "foo\n"},
}


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """A git repository with these files committed (and `untracked` ones left uncommitted)."""

    def make(tracked: Mapping[str, str], untracked: Mapping[str, str] | None = None) -> Path:
        root = tmp_path / "project"
        root.mkdir()
        git(root, "init", "--quiet", "--initial-branch=main")
        for name, text in {**tracked, **(untracked or {})}.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        git(root, "add", *tracked)
        git(root, "commit", "--quiet", "-m", "first")
        return root

    return make
