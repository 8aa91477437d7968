"""Runs built from real comparisons: result sets in code, the compare engine, its JSON report."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tests.bot.payloads import REPO as BOT_REPO
from workflows.callback import CallbackPayload, RunRef
from workflows.compare.engine import compare
from workflows.compare.json_report import report_dict
from workflows.compare.provenance import RunFacts
from workflows.results import ResultSet, make_benchmark

REPO = BOT_REPO  # a repository the bot's test configuration serves
JOB = "api"
BASE_SHA = "a" * 40
HEAD_SHA = "b" * 40


def rounds_set(
    source: str, centers: Mapping[str, float], rng: np.random.Generator, *, cv: float, rounds: int
) -> ResultSet:
    """Per benchmark, `rounds` rounds of 5 lognormal samples around its center."""
    sigma = float(np.sqrt(np.log1p(cv**2)))
    benchmarks = []
    for name, center in centers.items():
        samples, numbers = [], []
        for number in range(1, rounds + 1):
            samples += (center * np.exp(sigma * rng.standard_normal(5))).tolist()
            numbers += [number] * 5
        benchmarks.append(make_benchmark(name, "ms", samples=samples, rounds=numbers))
    return ResultSet.build(source, "perfbot", benchmarks)


def comparison(
    base: Mapping[str, float],
    head: Mapping[str, float],
    *,
    seed: int = 1,
    cv: float = 0.01,
    rounds: int = 6,
    pr: int = 0,
) -> tuple[dict, ResultSet, ResultSet]:
    """The JSON report of comparing two result sets around these centers, and the sets."""
    rng = np.random.default_rng(seed)
    base_set = rounds_set("base", base, rng, cv=cv, rounds=rounds)
    head_set = rounds_set("head", head, rng, cv=cv, rounds=rounds)
    facts = RunFacts(
        repository=REPO, job=JOB, pr=pr, base_ref="main", base_sha=BASE_SHA, head_sha=HEAD_SHA
    )
    return report_dict(compare(base_set, head_set), facts), base_set, head_set


def payload(
    report: dict | None,
    *,
    kind: str = "result",
    pr: int = 7,
    workflow: str = "perf-api-1",
    head_sha: str = HEAD_SHA,
    status: str = "",
    samples: dict | None = None,
) -> CallbackPayload:
    verdict = (report or {}).get("summary", {}).get("verdict") if kind == "result" else None
    return CallbackPayload(
        kind=kind,
        run=RunRef(REPO, pr, JOB, head_sha, BASE_SHA, "main"),
        workflow_name=workflow,
        namespace="perfbot",
        status=status,
        verdict=verdict,
        report_markdown="### report" if kind == "result" else None,
        report=report if kind == "result" else None,
        samples=samples,
    )


def main_sha(number: int) -> str:
    """The head commit of the `number`th main-branch run of `record_main_series`."""
    return f"{number:08x}".ljust(40, "c")


def record_main_series(store_target: str, series: Mapping[str, list[float]]) -> None:
    """One push run per position, each benchmark's head median its value there (seconds)."""
    from workflows.history import BenchmarkRecord, RunRecord, Store

    store = Store.open(store_target)
    length = len(next(iter(series.values())))
    for number in range(length):
        rows = tuple(
            BenchmarkRecord(
                name=name,
                unit="s",
                direction="lower",
                verdict="unchanged",
                change=0.0,
                summary={"base": {"median": values[number]}, "head": {"median": values[number]}},
            )
            for name, values in series.items()
        )
        store.record(
            RunRecord(
                repo=REPO,
                job=JOB,
                kind="push",
                branch="main",
                workflow_name=f"push-main-{number}",
                base_ref="main",
                base_sha=main_sha(number - 1) if number else BASE_SHA,
                head_sha=main_sha(number),
                benchmarks=rows,
            )
        )
    store.close()
