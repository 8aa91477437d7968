"""What was compared, how much of it, where and when: the line every report opens with.

A verdict a reviewer cannot place is a verdict they cannot trust: "-9 %" means nothing without
the repository, the job, what base and head were asked as (`main`, `latest`, a tag) and which
commits those resolved to, how many rounds and samples each side ran, on which machine, and
which perfbot judged it. `RunFacts` is what the caller knows (the pipeline's parameters, passed
to `perfbot compare`); `Provenance` adds what the results themselves say (round manifests,
metadata), so every report shows the same facts.

Paths are kept only for result files that still exist outside the temporary directory: a path
that names a deleted scratch directory tells the reader nothing.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

from workflows.compare import environment
from workflows.compare.engine import Comparison
from workflows.results import ResultSet

SHA = re.compile(r"[0-9a-f]{7,40}")
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")
SHORT_SHA = 7
UNKNOWN_VERSION = "unknown"
ISO = "%Y-%m-%dT%H:%M:%SZ"


def perfbot_version() -> str:
    try:
        return package_metadata.version("perfbot")
    except package_metadata.PackageNotFoundError:
        return UNKNOWN_VERSION


@dataclass(frozen=True)
class RunFacts:
    """What the caller of `perfbot compare` knows about the run; every field may be empty."""

    repository: str = ""
    job: str = ""
    pr: int = 0
    base_ref: str = ""  # as asked: a branch, a tag, `latest`
    base_sha: str = ""  # as resolved
    head_ref: str = ""
    head_sha: str = ""
    commit_links: bool = True  # False: the repository is not on GitHub (a local-only run)

    @classmethod
    def from_provenance(cls, values: Any) -> RunFacts:
        """Back from a JSON report's `provenance`, so a later render (the local run's HTML
        page) says what the pipeline's compare step knew; anything malformed is dropped."""
        values = values if isinstance(values, Mapping) else {}

        def text(where: Any, key: str) -> str:
            value = where.get(key) if isinstance(where, Mapping) else None
            return value if isinstance(value, str) else ""

        pr = values.get("pr")
        base, head = values.get("base"), values.get("head")
        return cls(
            repository=text(values, "repository"),
            job=text(values, "job"),
            pr=pr if isinstance(pr, int) and not isinstance(pr, bool) and pr > 0 else 0,
            base_ref=text(base, "ref"),
            base_sha=_sha(text(base, "sha")),
            head_ref=text(head, "ref"),
            head_sha=_sha(text(head, "sha")),
            commit_links=values.get("commit_links") is not False,
        )


@dataclass(frozen=True)
class SideProvenance:
    ref: str  # as asked, or ""
    sha: str  # as resolved (full, lower-case hex), or ""
    path: str | None  # the results' path, only when it still exists and is not scratch
    rounds: int  # distinct rounds measured
    samples: int  # samples of one benchmark (the most any benchmark has)
    machines: Mapping[str, list[str]] = field(default_factory=dict)  # node, cpu, kernel, image
    started: str | None = None  # ISO 8601 UTC, from the round manifest
    finished: str | None = None

    @property
    def short_sha(self) -> str:
        return self.sha[:SHORT_SHA]


@dataclass(frozen=True)
class Provenance:
    repository: str
    job: str
    pr: int
    base: SideProvenance
    head: SideProvenance
    version: str
    commit_links: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def github_repository(self) -> str | None:
        """`owner/name` when it is one, so links to it are safe to build."""
        return self.repository if REPOSITORY.fullmatch(self.repository) else None

    def commit_url(self, sha: str) -> str | None:
        repo = self.github_repository
        if not self.commit_links or repo is None or not SHA.fullmatch(sha):
            return None
        return f"https://github.com/{repo}/commit/{sha}"

    @property
    def machines(self) -> list[str]:
        """Nodes (or hosts) and CPU models both sides ran on, each named once."""
        seen: list[str] = []
        for side in (self.base, self.head):
            for key in ("node", "cpu"):
                seen += [v for v in side.machines.get(key, []) if v not in seen]
        return seen

    @property
    def when(self) -> str | None:
        """`2025-11-24 16:00 – 16:19 UTC`: from the first round's start to the last's end."""
        starts = [s for s in (self.base.started, self.head.started) if s]
        ends = [s for s in (self.base.finished, self.head.finished) if s]
        if not starts:
            return None
        first = _shown_time(min(starts))
        if not ends:
            return f"{first} UTC"
        last = _shown_time(max(ends))
        if last[:10] == first[:10]:
            last = last[11:]
        return f"{first} – {last} UTC"


def _sha(value: Any) -> str:
    text = str(value or "").strip().lower()
    return text if SHA.fullmatch(text) else ""


def _time(value: Any) -> str | None:
    """A manifest's Unix time as ISO 8601 UTC (what the JSON report keeps)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        return None
    return datetime.fromtimestamp(value, UTC).strftime(ISO)


def _shown_time(iso: str) -> str:
    return datetime.strptime(iso, ISO).strftime("%Y-%m-%d %H:%M")


def parse_time(value: Any) -> datetime | None:
    """A time as the reports keep it (ISO 8601, `Z` or an offset), aware; a naive one is
    taken as UTC; None when absent or malformed. For readers of a report's provenance."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _shown_path(source: str) -> str | None:
    """The path as given, unless it is gone or lies in scratch space: the temporary directory,
    except where the caller works (a checkout under /tmp is not scratch to the one using it)."""
    path = Path(source)
    if not path.exists():
        return None
    resolved = path.resolve()
    scratch = Path(tempfile.gettempdir()).resolve()
    if _inside(resolved, scratch) and not _inside(resolved, Path.cwd().resolve()):
        return None
    return source


def _rows(metadata: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = metadata.get("rounds")
    return [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []


def side(results: ResultSet | None, source: str, ref: str, sha: str) -> SideProvenance:
    meta: Mapping[str, Any] = results.metadata if results is not None else {}
    benchmarks = list(results.benchmarks.values()) if results is not None else []
    rounds = len({r for b in benchmarks for r in b.rounds})
    machines = environment.machines(meta)
    for key in ("node", "host", "machine"):  # a plain result file may name its machine
        if not machines.get("node") and isinstance(meta.get(key), str) and meta[key]:
            machines = {**machines, "node": [meta[key]]}
    rows = _rows(meta)
    starts = [t for r in rows if (t := _time(r.get("started")))]
    ends = [t for r in rows if (t := _time(r.get("finished")))]
    return SideProvenance(
        ref=ref,
        sha=_sha(sha) or _sha(meta.get("commit")),
        path=_shown_path(source),
        rounds=rounds,
        samples=max((b.count for b in benchmarks), default=0),
        machines=machines,
        started=min(starts) if starts else None,
        finished=max(ends) if ends else None,
    )


def provenance(comparison: Comparison, facts: RunFacts | None = None) -> Provenance:
    """The provenance of `comparison`, with what the caller's `facts` add."""
    facts = facts or RunFacts()
    return Provenance(
        repository=facts.repository,
        job=facts.job,
        pr=facts.pr,
        base=side(comparison.base_results, comparison.base_source, facts.base_ref, facts.base_sha),
        head=side(comparison.head_results, comparison.head_source, facts.head_ref, facts.head_sha),
        version=perfbot_version(),
        commit_links=facts.commit_links,
    )
