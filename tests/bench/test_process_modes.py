"""The simulated suites of bench/process_modes.py: a process's mode is one draw shared by every
bimodal benchmark of that process, and each sample keeps its round and process."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "process_modes.py"


@pytest.fixture(scope="module")
def modes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("process_modes", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("processes", [1, 3])
def test_samples_keep_their_round_and_process(modes, processes):
    suite = modes.make_suite(np.random.default_rng(1), modes.SHAPES[0], processes)
    bench = suite.head.benchmarks["b00"]
    assert bench.round_count == modes.ROUNDS
    assert len(bench.samples) == modes.ROUNDS * processes * modes.SAMPLES
    assert set(bench.processes or (1,)) == set(range(1, processes + 1))


def test_the_slow_mode_moves_only_the_bimodal_benchmarks_by_their_gap(modes):
    """The same draws with every process slow and with none: bimodal benchmarks 30-70 %
    apart, the others not at all."""
    always = modes.Shape("slow", 1.0)
    never = modes.Shape("fast", 0.0)
    slow = modes.make_suite(np.random.default_rng(7), always, 3)
    fast = modes.make_suite(np.random.default_rng(7), never, 3)
    for name in slow.head.benchmarks:
        ratio = np.median(slow.head.benchmarks[name].values) / np.median(
            fast.head.benchmarks[name].values
        )
        if name in slow.bimodal:
            assert 1.3 <= ratio <= 1.7
        else:
            assert ratio == pytest.approx(1.0)


def test_the_engines_own_round_value_is_restored_after_the_median_variant(modes):
    from workflows.compare import estimates

    own = estimates._round_values
    with modes.round_value(modes._median_of_processes):
        assert estimates._round_values is modes._median_of_processes
    assert estimates._round_values is own
