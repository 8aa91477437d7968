"""What the confirmation run buys: false alarms and detection with and without it, side by side.

The suites are `bench/compare_accuracy.py`'s (40 benchmarks, R rounds x S samples, round or
invocation effects, slow outliers; changed suites: 4 x +10 %, 1 x +6 % at CV 1 %, 3 x -10 %).
Each suite is compared once, as the pipeline's `compare` step does. When that flags anything,
the flagged benchmarks alone are measured again (the same benchmarks, fresh noise,
`--confirm-rounds` rounds of the same shape) and compared on their own, and
`workflows.compare.confirm` keeps only the changes that repeat: what `confirm-compare` reports.

Figures per row, without and with confirmation: the share of unchanged suites (A/A) with any
alarm, and the share of real changes (A/B) found with the right sign; then how often a
confirmation ran (the price: its rounds, on top of the first measurement's). The default
options, and a looser job (alpha 0.05, threshold 2 %) whose single measurement alarms often
enough for the p -> p x p' effect to show.

    python bench/confirmation.py [--suites N] [--seed S] [--confirm-rounds R]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_accuracy import SIGN, Shape, Suite, Tally, make_suite, pct

from workflows.compare import CompareOptions, Comparison, compare
from workflows.compare.confirm import confirm, flagged
from workflows.results import ResultSet

DEFAULT_CONFIRM_ROUNDS = 5
OPTIONS = {
    "default (alpha 0.02, 4 %)": CompareOptions(),
    "loose (alpha 0.05, 2 %)": CompareOptions(alpha=0.05, threshold=0.02),
}


@dataclass
class Row:
    without: Tally
    with_confirmation: Tally
    confirmations: int = 0


def _only(results: ResultSet, names: list[str]) -> ResultSet:
    return ResultSet.build(
        results.source, "perfbot", [results.benchmarks[n] for n in names], results.metadata
    )


def _alarms(comparison: Comparison) -> dict[str, int]:
    return {row.name: SIGN.get(row.verdict, 0) for row in comparison.benchmarks}


def confirmed(
    suite: Suite, first: Comparison, rng: np.random.Generator, shape: Shape, rounds: int,
    options: CompareOptions,
) -> Comparison | None:  # fmt: skip
    """The confirmation's verdict on `first`, or None when nothing was flagged."""
    names = flagged(first)
    if not names:
        return None
    again = make_suite(rng, replace(shape, rounds=rounds), suite.layout)
    second = compare(_only(again.base, names), _only(again.head, names), options)
    return confirm(first, second)


def run_row(
    shape: Shape, suites: int, rng: np.random.Generator, rounds: int, options: CompareOptions
) -> Row:
    row = Row(Tally(), Tally())
    for _ in range(suites):
        suite = make_suite(rng, shape)
        first = compare(suite.base, suite.head, options)
        final = confirmed(suite, first, rng, shape, rounds, options)
        row.without.add(suite.truth, _alarms(first))
        row.with_confirmation.add(suite.truth, _alarms(final or first))
        row.confirmations += final is not None
    return row


def shapes() -> list[Shape]:
    rounds = Shape("10 rounds x 5 samples, round effects")
    invocations = Shape("10 rounds x 5, 2-4 % per invocation", round_effect=False,
                        invocation_effect=True)  # fmt: skip
    one = Shape("10 rounds x 1 sample, round effects", samples=1)
    first = Shape("10 rounds x 5, +2 % order effect, base always first", order_effect=True,
                  alternate=False)  # fmt: skip
    drift = Shape("10 rounds x 5, round effects and +5 % drift", drift=True)
    found = []
    for shape in (rounds, invocations, one, first, drift):
        found += [shape, replace(shape, changes="mix")]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", type=int, default=200, help="suites per row")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--confirm-rounds", type=int, default=DEFAULT_CONFIRM_ROUNDS)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(
        f"{args.suites} suites a row, seed {args.seed}, confirmation {args.confirm_rounds} "
        "rounds of the flagged benchmarks. A/A: unchanged suites with any alarm; A/B: real "
        "changes found with the right sign; confirmed: suites where a confirmation ran\n"
    )
    header = f"{'':62}{'without':>10}{'with':>10}{'confirmed':>11}"
    start = time.perf_counter()
    for title, options in OPTIONS.items():
        print(f"{title}\n{header}")
        for shape in shapes():
            row = run_row(shape, args.suites, rng, args.confirm_rounds, options)
            kind = "A/A" if shape.changes == "none" else "A/B"
            label = f"  {kind:5}{shape.title}"
            print(
                f"{label:62}{pct(row.without.figure()):>10}"
                f"{pct(row.with_confirmation.figure()):>10}"
                f"{pct(row.confirmations / args.suites):>11}"
            )
        print()
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
