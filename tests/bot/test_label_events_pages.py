"""Who added the label, on a pull request with more issue events than one page holds.

For a push to a labelled PR the bot asks the issue events who added the label last and asks
that person's permission. GitHub lists events oldest first, 100 a page; the bot read the first
1,000 only, so a later labelling by someone without write access was credited to whoever
labelled first. Now it reads from the newest page backwards, and refuses when the newest
1,000 events hold no labelling at all.
"""

from __future__ import annotations

import pytest

from bot.shared.services import EXTENSION
from tests.bot.payloads import REPO
from tests.bot.stack import Stack

PR = 7
LABEL = "perf"
# (events in all, {position: who labelled there}, the answer)
CASES = [
    (3, {1: "maintainer"}, "maintainer"),
    (100, {0: "maintainer", 99: "outsider"}, "outsider"),
    (101, {0: "maintainer", 100: "outsider"}, "outsider"),  # the second page's only event
    (1_500, {0: "maintainer", 1_400: "outsider"}, "outsider"),  # past the old cap
    (1_500, {0: "outsider", 1_400: "maintainer", 1_450: "outsider"}, "outsider"),
    (1_500, {1_499: "maintainer"}, "maintainer"),
    (2_500, {0: "maintainer"}, None),  # not among the newest 1,000: nobody is credited
    (50, {}, None),
]


@pytest.mark.parametrize(("total", "labellers", "expected"), CASES)
def test_the_last_labelling_counts_however_many_events_came_first(
    stack: Stack, total: int, labellers: dict[int, str], expected: str | None
) -> None:
    for position in range(total):
        who = labellers.get(position)
        if who is None:
            stack.repo.add_label_event(PR, "unrelated", actor="someone")
        else:
            stack.repo.add_label_event(PR, LABEL, actor=who)
    github = stack.app.extensions[EXTENSION].github.repo(REPO, 1)

    assert github.label_added_by(PR, LABEL) == expected


def test_an_unlabelling_after_the_labelling_does_not_hide_it(stack: Stack) -> None:
    """The label is on (the payload says so); the newest `labeled` event is who put it on."""
    stack.repo.add_label_event(PR, LABEL, actor="maintainer")
    stack.repo.add_label_event(PR, LABEL, actor="outsider", event="unlabeled")
    github = stack.app.extensions[EXTENSION].github.repo(REPO, 1)
    assert github.label_added_by(PR, LABEL) == "maintainer"
