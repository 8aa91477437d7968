"""How long `perfbot demo` will take, said before it starts.

The figures are those of a measured run (docs/local.md): the whole demo at its own size (10
rounds a side, 8 batches of 100 requests per endpoint and round, 10 confirmation rounds of a
flagged endpoint) took 57 s on an idle 2-core machine, 35 s of it the first measurement and 19 s
the confirmation. The benchmark parts scale with the requests made (rounds x batches x batch
size, from `SHOP_BENCH_SAMPLES` and `SHOP_BENCH_BATCH` as the demo's client reads them); the
rest (build, deploys, comparison) does not. A machine busier than one runnable task per CPU
shares its CPUs, so the estimate is stretched by the load per CPU (a benchmark on a machine with
load 6 on 2 CPUs gets about a third of a CPU). It is an estimate, and says so: the progress
shows the time left once the first side has run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_BATCH, DEFAULT_SAMPLES, DEFAULT_ROUNDS = 100, 8, 10  # examples/demo's own


@dataclass(frozen=True)
class Estimate:
    setup: float  # build, deploys, comparison: seconds
    first: float  # the first measurement
    confirmation: float  # measuring a flagged endpoint again (only when one is flagged)
    busy: float  # the load per CPU now, at least 1: how much longer than on an idle machine
    load: float
    cpus: int

    @property
    def idle(self) -> float:
        return self.setup + self.first + self.confirmation


IDLE = Estimate(setup=3.0, first=35.0, confirmation=19.0, busy=1.0, load=0.0, cpus=2)


def _number(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def estimate(
    *, rounds: int, confirm_rounds: int, environ: Mapping[str, str], load: float, cpus: int
) -> Estimate:
    requests = _number(environ, "SHOP_BENCH_BATCH", DEFAULT_BATCH) * _number(
        environ, "SHOP_BENCH_SAMPLES", DEFAULT_SAMPLES
    )
    size = requests / (DEFAULT_BATCH * DEFAULT_SAMPLES)
    return Estimate(
        setup=IDLE.setup,
        first=IDLE.first * size * rounds / DEFAULT_ROUNDS,
        confirmation=IDLE.confirmation * size * confirm_rounds / DEFAULT_ROUNDS,
        busy=max(1.0, load / max(1, cpus)),
        load=load,
        cpus=cpus,
    )


def sentence(found: Estimate) -> str:
    """`this takes about 57 s on an idle 2-core machine (19 s of it confirming ...)`."""
    text = (
        f"this takes about {found.idle:.0f} s on an idle 2-core machine ("
        f"{found.confirmation:.0f} s of it confirming a flagged endpoint, skipped when none is)"
    )
    if found.busy > 1.0:
        text += (
            f"; this machine is busy now (load {found.load:.1f} on {found.cpus} CPUs): "
            f"expect about {found.idle * found.busy:.0f} s"
        )
    return text
