"""What a run's measure pods ask for together, and whether the largest benchmark node holds it.

Every measure pod of a run lands on one node (`placement`): both deploys and the benchmark
client. The sizing rule (docs/operations.md) is that their requests together must fit in the
allocatable CPU and memory of a benchmark node, or the run can never be placed. Quantities are
Kubernetes' (CPU: cores or millicores; memory: bytes with an SI or binary suffix).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from workflows.config import JobConfig, ResourcesConfig

_MEMORY = re.compile(r"([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?")
_FACTORS = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
_FACTORS |= {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def millicores(cpu: str) -> int:
    """`4`, `1.5`, `500m` as millicores."""
    if cpu.endswith("m"):
        return int(cpu[:-1])
    return int(Fraction(cpu) * 1000)


def memory_bytes(memory: str) -> int:
    match = _MEMORY.fullmatch(memory)
    if match is None:
        raise ValueError(f"not a memory quantity: {memory!r}")
    return int(match.group(1)) * _FACTORS[match.group(2)]


@dataclass(frozen=True)
class Requests:
    """CPU (millicores) and memory (bytes)."""

    millicores: int = 0
    memory: int = 0

    def __add__(self, other: Requests) -> Requests:
        return Requests(self.millicores + other.millicores, self.memory + other.memory)

    def __bool__(self) -> bool:
        return bool(self.millicores or self.memory)

    def fits_in(self, capacity: Requests) -> bool:
        return self.millicores <= capacity.millicores and self.memory <= capacity.memory

    @property
    def cpu(self) -> str:
        return (
            str(self.millicores // 1000) if self.millicores % 1000 == 0 else f"{self.millicores}m"
        )

    @property
    def memory_text(self) -> str:
        for suffix in ("Ti", "Gi", "Mi", "Ki"):
            if self.memory and self.memory % _FACTORS[suffix] == 0:
                return f"{self.memory // _FACTORS[suffix]}{suffix}"
        return str(self.memory)

    def describe(self) -> str:
        return f"cpu {self.cpu}, memory {self.memory_text}"


def of(resources: ResourcesConfig | None) -> Requests:
    if resources is None:
        return Requests()
    return Requests(millicores(resources.cpu), memory_bytes(resources.memory))


def measure_requests(job: JobConfig) -> Requests:
    """Both deploys and the benchmark client: what one node must hold for the run."""
    deploys = of(job.deploy.resources) if job.deploy is not None else Requests()
    return deploys + deploys + of(job.benchmark.resources)


def what(job: JobConfig) -> str:
    """The pods the requests add up, for messages."""
    return "2 deploys + the benchmark client" if job.deploy is not None else "the benchmark"


def misfit(job: JobConfig) -> str | None:
    """Why the declared largest benchmark node cannot hold the run; None when it can or when
    no capacity is declared (then only the reservation's deadline can tell)."""
    capacity = job.placement.node_capacity
    if capacity is None:
        return None
    asked, largest = measure_requests(job), of(capacity)
    if asked.fits_in(largest):
        return None
    return (
        f"the run's measure pods ask for {asked.describe()} together ({what(job)}), more than "
        f"the largest benchmark node holds (placement.node_capacity: {largest.describe()}); "
        "lower deploy.resources or benchmark.resources, or use larger benchmark nodes"
    )
