"""`perfbot compare BASE HEAD`: a verdict per benchmark and for the suite, as a report.

BASE and HEAD are result files, or directories of round files (`round-001.json`, ...) whose
samples are merged: the pipeline's compare step and `perfbot run --local` pass directories.

Exit codes: 0 the comparison ran (whatever it found); 1 only with `--fail-on-regression` and a
regression; 2 bad input (missing or unreadable file, malformed JSON, a shape no importer knows,
no benchmark in common, bad option values): one line on stderr naming the file and the problem.

`compare_paths(base, head, args)` runs the same thing in-process from a list of flags (a job's
`compare_args`), for callers that render more reports from one comparison.

`--confirm-base DIR --confirm-head DIR` (both or neither): the confirmation run's results, the
flagged benchmarks measured again; compared on their own with the same options, and a change
of BASE/HEAD is reported only when they repeat it (workflows/compare/confirm.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflows.cli import run_facts
from workflows.compare.options import DEFAULT_ALPHA, DEFAULT_MIN_SAMPLES, DEFAULT_THRESHOLD
from workflows.errors import EXIT_FAILED_CHECK, EXIT_INCONCLUSIVE, BadInput
from workflows.results.loader import FORMATS as INPUT_FORMATS

if TYPE_CHECKING:
    from workflows.compare import Comparison

FORMATS = ("text", "markdown", "json", "html")
CONFIRM_BOTH = "--confirm-base and --confirm-head go together: give both or neither"
CONFIRM_SOURCE = "the confirmation run (--confirm-base/--confirm-head): {problem}"


def _rules(config: Path | None, inline: str | None) -> tuple:
    """Per-benchmark rules from a YAML file (a list, or `benchmarks:` or `compare.benchmarks:`
    of a perfbot.yaml) and from inline JSON, in that order; BadInput naming the source."""
    import json

    import yaml

    from workflows.compare.rules import rules_from_list

    rules: list = []
    if config is not None:
        try:
            document = yaml.safe_load(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"{config}: cannot be read: {exc}") from None
        except yaml.YAMLError as exc:
            raise BadInput(f"{config}: not valid YAML: {' '.join(str(exc).split())}") from None
        if isinstance(document, dict):
            document = (document.get("compare") or document).get("benchmarks")
        try:
            rules += rules_from_list(document, f"{config}: benchmarks")
        except ValueError as exc:
            raise BadInput(str(exc)) from None
    if inline is not None:
        try:
            rules += rules_from_list(json.loads(inline), "--benchmark-rules")
        except json.JSONDecodeError as exc:
            raise BadInput(f"--benchmark-rules: not valid JSON: {exc.msg}") from None
        except ValueError as exc:
            raise BadInput(str(exc)) from None
    return tuple(rules)


def _compare(
    base: Path,
    head: Path,
    *,
    input_format: str | None,
    threshold: float,
    alpha: float,
    min_samples: int,
    benchmark_config: Path | None = None,
    benchmark_rules: str | None = None,
    allow_different_machines: bool = False,
    confirm_base: Path | None = None,
    confirm_head: Path | None = None,
) -> Comparison:
    from workflows.compare import CompareOptions, ComparisonError, compare
    from workflows.compare.confirm import confirm
    from workflows.results import ResultsError, load_results

    if (confirm_base is None) != (confirm_head is None):
        raise BadInput(CONFIRM_BOTH)
    rules = _rules(benchmark_config, benchmark_rules)
    try:
        options = CompareOptions(
            threshold=threshold, alpha=alpha, min_samples=min_samples, rules=rules,
            allow_different_machines=allow_different_machines,
        )  # fmt: skip
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    try:
        first = compare(load_results(base, input_format), load_results(head, input_format), options)
    except (ResultsError, ComparisonError) as exc:
        raise BadInput(" ".join(str(exc).split())) from None
    if confirm_base is None or confirm_head is None:
        return first
    try:
        second = compare(
            load_results(confirm_base, input_format),
            load_results(confirm_head, input_format),
            options,
        )
    except (ResultsError, ComparisonError) as exc:
        raise BadInput(CONFIRM_SOURCE.format(problem=" ".join(str(exc).split()))) from None
    return confirm(first, second)


@click.command(name="compare")
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("head", type=click.Path(path_type=Path))
@click.option(
    "--format", "report_format", type=click.Choice(FORMATS), default="text", show_default=True,
    help="Report format.",
)  # fmt: skip
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of stdout.",
)  # fmt: skip
@click.option(
    "--threshold", type=float, default=DEFAULT_THRESHOLD, show_default=True,
    help="Smallest relative change that counts (0.04 = 4 %).",
)  # fmt: skip
@click.option(
    "--alpha", type=float, default=DEFAULT_ALPHA, show_default=True,
    help="Suite-wise false-alarm rate (Benjamini-Hochberg level).",
)  # fmt: skip
@click.option(
    "--min-samples", type=int, default=DEFAULT_MIN_SAMPLES, show_default=True,
    help="Samples a side below which no verdict is given.",
)  # fmt: skip
@click.option(
    "--input-format", type=click.Choice(INPUT_FORMATS),
    help="Format of both inputs (default: detected per file).",
)  # fmt: skip
@click.option(
    "--benchmark-config", type=click.Path(dir_okay=False, path_type=Path),
    help="YAML of per-benchmark rules (match, threshold, direction, ignore); a perfbot.yaml's "
    "compare.benchmarks works too.",
)  # fmt: skip
@click.option(
    "--benchmark-rules", metavar="JSON",
    help="Per-benchmark rules as a JSON list, applied after --benchmark-config.",
)  # fmt: skip
@click.option(
    "--allow-different-machines", is_flag=True,
    help="Give verdicts even when the round manifests put base and head on different nodes "
    "or CPU models.",
)  # fmt: skip
@click.option(
    "--write", "writes", multiple=True, metavar="FORMAT=FILE",
    help="Also write a report to FILE (FORMAT: text, markdown, json, html, or verdict for the "
    "one-word verdict); repeatable, so one run writes every report a step needs.",
)  # fmt: skip
@click.option(
    "--confirm-base", type=click.Path(path_type=Path),
    help="The confirmation run's base results: a change counts only if it repeats there.",
)  # fmt: skip
@click.option(
    "--confirm-head", type=click.Path(path_type=Path),
    help="The confirmation run's head results (with --confirm-base).",
)  # fmt: skip
@click.option(
    "--fail-on-regression", is_flag=True,
    help="Exit 1 when any benchmark regressed; 4 when none did but one could not be judged "
    "(inconclusive: too noisy, too few rounds, unconfirmed, not comparable).",
)  # fmt: skip
@run_facts.options
def command(
    base: Path,
    head: Path,
    report_format: str,
    output: Path | None,
    threshold: float,
    alpha: float,
    min_samples: int,
    input_format: str | None,
    benchmark_config: Path | None,
    benchmark_rules: str | None,
    allow_different_machines: bool,
    writes: tuple[str, ...],
    confirm_base: Path | None,
    confirm_head: Path | None,
    fail_on_regression: bool,
    **provenance: str,
) -> None:
    """Compare benchmark results of BASE and HEAD (files or directories of rounds)."""
    from workflows.compare import RENDERERS, Verdict

    targets = [_write_target(item) for item in writes]
    facts = run_facts.facts(provenance)
    comparison = _compare(
        base,
        head,
        input_format=input_format,
        threshold=threshold,
        alpha=alpha,
        min_samples=min_samples,
        benchmark_config=benchmark_config,
        benchmark_rules=benchmark_rules,
        allow_different_machines=allow_different_machines,
        confirm_base=confirm_base,
        confirm_head=confirm_head,
    )
    rendered = {}
    for kind, _ in [(report_format, output), *targets]:
        if kind not in rendered:
            rendered[kind] = (
                f"{comparison.verdict}\n" if kind == VERDICT else RENDERERS[kind](comparison, facts)
            )
    if output is None:
        click.echo(rendered[report_format], nl=False)
    else:
        _write(output, rendered[report_format])
    for kind, path in targets:
        _write(path, rendered[kind])
    if fail_on_regression and comparison.verdict is Verdict.REGRESSED:
        raise SystemExit(EXIT_FAILED_CHECK)
    if fail_on_regression and comparison.verdict is Verdict.INCONCLUSIVE:
        raise SystemExit(EXIT_INCONCLUSIVE)


VERDICT = "verdict"


def _write_target(item: str) -> tuple[str, Path]:
    kind, equals, path = item.partition("=")
    if not equals or not path or kind not in (*FORMATS, VERDICT):
        raise BadInput(
            f"--write {item!r}: expected FORMAT=FILE with FORMAT one of "
            f"{', '.join((*FORMATS, VERDICT))}"
        )
    return kind, Path(path)


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a report is written beside its place and renamed into it."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BadInput(f"{path}: cannot write the report: {exc.strerror or exc}") from None


def compare_paths(base: Path, head: Path, args: Sequence[str] = ()) -> Comparison:
    """The comparison `perfbot compare BASE HEAD *args` would report, in-process.

    Report flags (`--format`, `--output`, `--fail-on-regression`) are accepted and ignored;
    raises BadInput for bad flags or bad input."""
    try:
        ctx = command.make_context("compare", [str(base), str(head), *args])
    except click.UsageError as exc:
        raise BadInput(exc.format_message()) from None
    params = ctx.params
    return _compare(
        params["base"],
        params["head"],
        input_format=params["input_format"],
        threshold=params["threshold"],
        alpha=params["alpha"],
        min_samples=params["min_samples"],
        benchmark_config=params["benchmark_config"],
        benchmark_rules=params["benchmark_rules"],
        allow_different_machines=params["allow_different_machines"],
        confirm_base=params["confirm_base"],
        confirm_head=params["confirm_head"],
    )
