"""`flagged`: which benchmarks the first comparison flagged, and whether to confirm them.

Runs in the perfbot image on the first compare's JSON report (`benchmarks[].verdict` regressed
or improved). Output parameters: `benchmarks`, the names one a line, which reach the
confirmation run's benchmark only as the env value `PERFBOT_BENCHMARKS`; and `confirm`,
`true` or `false`, written by perfbot itself, the only thing the confirmation steps' `when`
reads (a benchmark name, which comes from the PR's results, is never part of an expression).
"""

from __future__ import annotations

from hera.workflows import Artifact, Container, Parameter
from hera.workflows.models import ValueFrom

from workflows.config import PerfbotConfig
from workflows.pipeline import drivers, paths

NAME = "flagged"
REPORT_JSON = f"{paths.INPUTS}/report.json"
BENCHMARKS = "benchmarks"
CONFIRM = "confirm"


def flagged_template(config: PerfbotConfig) -> Container:
    return Container(
        name=NAME,
        image=config.perfbot_image,
        command=[
            "sh",
            "-c",
            drivers.load("flagged"),
            "perfbot-flagged",
            REPORT_JSON,
            paths.OUTPUTS,
        ],
        inputs=[Artifact(name="report-json", path=REPORT_JSON)],
        outputs=[
            Parameter(name=BENCHMARKS, value_from=ValueFrom(path=f"{paths.OUTPUTS}/{BENCHMARKS}")),
            Parameter(name=CONFIRM, value_from=ValueFrom(path=f"{paths.OUTPUTS}/{CONFIRM}")),
        ],
    )
