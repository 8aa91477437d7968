"""The provenance line of the PR comment: the facts, inert, commits linked on GitHub.

Refs and the repository name come from the run's parameters, which a PR author can influence
(a branch name), so they are escaped like benchmark names; a link is built only from a
repository of the `owner/name` form and a hex SHA (`Provenance.commit_url`).
"""

from __future__ import annotations

from collections.abc import Callable

from workflows.compare.provenance import Provenance
from workflows.compare.provenance_line import ARROW, SEPARATOR, Fact, facts


def _fact(fact: Fact, inert: Callable[[str], str]) -> str:
    text = inert(fact.text)
    if fact.code:
        text += f" <code>{inert(fact.code)}</code>"
    if fact.resolved:
        sha = f"<code>{fact.resolved}</code>"
        linked = f"[{sha}]({fact.url})" if fact.url else sha
        text += f"{ARROW}{linked}" if fact.code else f" {linked}"
    return text


def provenance_markdown(prov: Provenance, inert: Callable[[str], str]) -> str:
    """`inert` is the comment's one escaping rule (`markdown_report.inert`)."""
    return SEPARATOR.join(_fact(f, inert) for f in facts(prov))
