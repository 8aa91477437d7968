"""Container paths to directories of the local run, by rewriting path prefixes.

In Argo a step sees its volumes and artifacts at fixed container paths (`/workspace`,
`/results`, `/src`). Locally there is no mount namespace, so each such path is given a directory
of the run, and every occurrence of the container path in argv items, env values and
`workingDir` is rewritten to it. The rule:

- a prefix matches only at a path boundary: `/data` rewrites `/data` and `/data/x`, but not
  `/database` or `a/data`;
- the longest matching prefix wins, so an artifact at `/workspace/src` inside the `/workspace`
  volume lands in the artifact's own directory, as Argo's artifact mount shadows the volume;
- text inside a fixed `sh -c` script is rewritten the same way (it is still argv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PathMap:
    """Container path prefix -> local path, applied longest prefix first."""

    prefixes: dict[str, Path] = field(default_factory=dict)

    def add(self, container_path: str, local: Path) -> None:
        normalized = "/" + container_path.strip("/") if container_path.strip("/") else "/"
        if normalized == "/":
            raise ValueError("cannot map the container's root directory to a local one")
        self.prefixes[normalized] = local

    def local(self, container_path: str) -> Path | None:
        """Where a container path lives locally, or None if no prefix covers it."""
        for prefix in self._ordered():
            if container_path == prefix or container_path.startswith(prefix + "/"):
                rest = container_path[len(prefix) :].lstrip("/")
                return self.prefixes[prefix] / rest if rest else self.prefixes[prefix]
        return None

    def rewrite(self, text: str) -> str:
        """`text` with every mapped container path replaced by its local path."""
        if not self.prefixes:
            return text
        pattern = self._pattern()
        return pattern.sub(lambda m: str(self.prefixes[m.group(1)]), text)

    def _ordered(self) -> list[str]:
        return sorted(self.prefixes, key=len, reverse=True)

    def _pattern(self) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(prefix) for prefix in self._ordered())
        # Not preceded by a path character (so `a/data` and `x/data` stay), and followed by the
        # end, a slash or a character that cannot continue a file name.
        return re.compile(r"(?<![\w./~}$)-])(" + alternatives + r")(?=$|/|[^\w.-])")
