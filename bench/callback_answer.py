"""How long `/callback` takes to answer a result of 100, 1,000 and 10,000 benchmarks.

Issue 23: with 10,000 benchmarks each callback took 13-37 s, spent writing history before
answering; `perfbot notify` gave up at 10 s and sent it again, four times. This builds, for
each size, a real result as the pipeline does (result files of `--samples` samples a
benchmark, `perfbot compare` for the JSON and Markdown reports, `perfbot notify` for the
payload, raw samples included), then posts it signed to the bot wired to the stand-in GitHub
and Argo servers and a SQLite history store, in this process (no network between the sender
and the bot: the figure is the bot's own work). For each size it prints:

- the callback's answer time (what `notify`'s 10 s timeout is measured against);
- the time until the follow-ups (history, Horreum, the history link) are done as well;
- the body's size, the sticky comment's size (GitHub's limit: 65,536 characters) and the
  answer's outcome.

    python bench/callback_answer.py [--sizes 100,1000,10000] [--samples 10]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from tests.bot.constants import CALLBACK_SECRET  # noqa: E402
from tests.bot.payloads import PR_NUMBER, REPO  # noqa: E402
from tests.bot.stack import running_stack, settle  # noqa: E402
from workflows.callback import SIGNATURE_HEADER, CallbackPayload, sign  # noqa: E402
from workflows.cli import main  # noqa: E402
from workflows.config import load_config  # noqa: E402

CONFIG = ROOT / "tests" / "bot" / "perfbot.test.yaml"
CONTRACTS = ROOT / "tests" / "contracts"
MARKER = "<!-- perfbot:job=api -->"


def result_files(directory: Path, size: int, samples: int) -> tuple[Path, Path]:
    """Base and head in perfbot's format; every 50th benchmark 10 % slower on head."""
    rng = random.Random(size)
    paths = []
    for side in ("base", "head"):
        benchmarks = []
        for index in range(size):
            centre = 0.5 + index % 97 / 10
            if side == "head" and index % 50 == 0:
                centre *= 1.10
            values = [round(centre * (1 + rng.gauss(0, 0.01)), 6) for _ in range(samples)]
            benchmarks.append({"name": f"suite/case-{index:05d}", "unit": "ms", "samples": values})
        path = directory / side / "round-001.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"benchmarks": benchmarks}))
        paths.append(path.parent)
    return paths[0], paths[1]


def payload_for(directory: Path, size: int, samples: int, workflow: str) -> bytes:
    """What the workflow's `report` step sends, built by the same commands."""
    base, head = result_files(directory, size, samples)
    report_json, report_md = directory / "report.json", directory / "report.md"
    compared = CliRunner().invoke(
        main,
        ["compare", str(base), str(head), "--format", "json", "--output", str(report_json),
         "--write", f"markdown={report_md}"],
    )  # fmt: skip
    assert compared.exit_code == 0, compared.output
    env = {
        "PERFBOT_CALLBACK_URL": "",
        "PERFBOT_REPO": REPO,
        "PERFBOT_PR": str(PR_NUMBER),
        "PERFBOT_JOB": "api",
        "PERFBOT_HEAD_SHA": "e" * 40,
        "PERFBOT_BASE_SHA": "b" * 40,
        "PERFBOT_WORKFLOW_NAME": workflow,
        "PERFBOT_NAMESPACE": "perfbot",
        "PERFBOT_REPORT_JSON": str(report_json),
        "PERFBOT_REPORT_MARKDOWN": str(report_md),
        "PERFBOT_RESULTS_BASE": str(base),
        "PERFBOT_RESULTS_HEAD": str(head),
    }
    notified = CliRunner().invoke(main, ["notify", "--kind", "result"], env=env)
    assert notified.exit_code == 0, notified.output
    return notified.stdout.strip().encode()


def measure(size: int, samples: int) -> dict[str, object]:
    config = load_config(CONFIG)
    with tempfile.TemporaryDirectory(prefix="perfbot-callback-") as scratch:
        directory = Path(scratch)
        workflow = f"perf-bench-{size}"
        body = payload_for(directory, size, samples, workflow)
        history = str(directory / "history.sqlite")
        for stack in running_stack(
            CONTRACTS, CONFIG, config, history_url=history, dashboard="public"
        ):
            stack.argo.add_run_of(CallbackPayload.from_json(body))
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(body, CALLBACK_SECRET),
            }
            started = time.perf_counter()
            response = stack.client.post("/callback", data=body, headers=headers)
            answered = time.perf_counter() - started
            settle(stack.app, timeout=600)
            done = time.perf_counter() - started
            sticky = [c["body"] for c in stack.repo.comments.values() if MARKER in c["body"]]
            return {
                "benchmarks": size,
                "body_mb": len(body) / 1e6,
                "answer_s": answered,
                "all_done_s": done,
                "status": response.status_code,
                "outcome": (response.json or {}).get("outcome"),
                "comment_chars": max((len(c) for c in sticky), default=0),
            }
    raise AssertionError("the stack did not start")


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ.setdefault("PERFBOT_LOG_LEVEL", "warning")
    print(f"{'benchmarks':>10} {'body MB':>8} {'answer s':>9} {'all done s':>10} "
          f"{'status':>6} {'outcome':>10} {'comment chars':>13}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, args.samples)
        print(
            f"{row['benchmarks']:>10} {row['body_mb']:>8.1f} {row['answer_s']:>9.2f} "
            f"{row['all_done_s']:>10.2f} {row['status']:>6} {row['outcome']!s:>10} "
            f"{row['comment_chars']:>13}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main_())
