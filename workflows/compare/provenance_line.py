"""The provenance as a list of short facts, which each report joins in its own markup.

Kept apart from the facts themselves (`provenance`) so that the Markdown, HTML and text reports
say the same words in the same order, and differ only in escaping and links.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.compare.provenance import Provenance, SideProvenance

SEPARATOR = " · "
ARROW = " → "


@dataclass(frozen=True)
class Fact:
    text: str  # plain text, not yet escaped
    code: str = ""  # a ref or a path, shown as code after `text` and a space
    url: str | None = None  # where `code` links to (a commit on GitHub), or None
    resolved: str = ""  # the SHA a ref resolved to, after an arrow


def _side(name: str, side: SideProvenance, prov: Provenance) -> Fact:
    """`base main → 3f9c2e1`: as asked, then as resolved; a path only when nothing else
    names the side (and the path still exists)."""
    if side.sha:
        return Fact(name, side.ref, prov.commit_url(side.sha), side.short_sha)
    return Fact(name, side.ref or side.path or "results")


def _amount(side: SideProvenance) -> str:
    samples = f"{side.samples} sample{'s' * (side.samples != 1)}"
    if side.rounds:
        return f"{side.rounds} round{'s' * (side.rounds != 1)}, {samples}"
    return samples


def amounts(prov: Provenance) -> str:
    """`10 rounds, 50 samples a side`, or each side's when they differ."""
    base, head = _amount(prov.base), _amount(prov.head)
    if base == head:
        return f"{base} per benchmark and side"
    return f"base {base}, head {head} per benchmark"


def facts(prov: Provenance) -> list[Fact]:
    found = []
    if prov.repository:
        found.append(Fact(prov.repository))
    if prov.job:
        found.append(Fact("job", prov.job))
    if prov.pr:
        found.append(Fact(f"PR #{prov.pr}"))
    found += [_side("base", prov.base, prov), _side("head", prov.head, prov)]
    found.append(Fact(amounts(prov)))
    if prov.machines:
        found.append(Fact("on " + ", ".join(prov.machines)))
    if prov.when:
        found.append(Fact(prov.when))
    found.append(Fact(f"perfbot {prov.version}"))
    return found


def plain(fact: Fact) -> str:
    text = f"{fact.text} {fact.code}" if fact.code else fact.text
    if fact.resolved:
        text += f"{ARROW}{fact.resolved}" if fact.code else f" {fact.resolved}"
    return text


def plain_line(prov: Provenance) -> str:
    return SEPARATOR.join(plain(f) for f in facts(prov))
