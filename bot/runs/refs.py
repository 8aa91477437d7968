"""What a comment may name as the base of a comparison, and how `latest` is chosen.

A ref from a comment travels to GitHub's API and into a workflow parameter, so it is held to
git's own ref-name rules (`git check-ref-format`) and, on top, to a conservative character
set: letters, digits and `._/+@-`. Git itself would accept `main;curl x|sh`; perfbot does not,
even though parameters never reach a shell, because nobody needs such a branch and a reader
of logs should not have to wonder. Refs cannot start with `-` (no option smuggling into a
tool that forgets `--`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.github.api import RepoGitHub

LATEST = "latest"
MAX_REF_LENGTH = 200
_ALLOWED = re.compile(r"^[A-Za-z0-9._/+@-]+$")
_SEMVER = re.compile(
    r"^v?(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)

ACCEPTED = (
    "a branch (`main`), a tag (`v1.2.0`), a commit SHA, or `latest` (the newest release); "
    "letters, digits and `._/+@-` only"
)


class RefError(ValueError):
    """A ref that is malformed or unknown; the message is shown to the commenter."""


def check_ref(ref: str) -> str:
    """`ref` unchanged when acceptable, else RefError saying which rule it breaks."""
    if not ref:
        raise RefError("the ref is empty")
    if len(ref) > MAX_REF_LENGTH:
        raise RefError(f"the ref is longer than {MAX_REF_LENGTH} characters")
    if ref.startswith("-"):
        raise RefError("a ref cannot start with `-`")
    if not _ALLOWED.fullmatch(ref):  # not match: `$` would let a trailing newline through
        raise RefError("the ref has characters other than letters, digits and `._/+@-`")
    problem = _git_rule_broken(ref)
    if problem:
        raise RefError(f"git does not allow {problem} in a ref name")
    return ref


def _git_rule_broken(ref: str) -> str | None:
    """The `git check-ref-format` rules that the character set above does not already cover."""
    if ref == "@":
        return "`@` alone"
    if ".." in ref:
        return "`..`"
    if "@{" in ref:
        return "`@{`"
    if ref.startswith("/") or ref.endswith("/") or "//" in ref:
        return "a leading, trailing or doubled `/`"
    if ref.endswith("."):
        return "a trailing `.`"
    for part in ref.split("/"):
        if part.startswith("."):
            return "a component starting with `.`"
        if part.endswith(".lock"):
            return "a component ending in `.lock`"
    return None


def _version_key(tag: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]] | None:
    """Semantic-version precedence: a release sorts above its pre-releases."""
    match = _SEMVER.match(tag)
    if match is None:
        return None
    pre = match["pre"]
    identifiers = tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in (pre or "").split(".") if part
    )
    return (int(match["major"]), int(match["minor"]), int(match["patch"]), 0 if pre else 1,
            identifiers)  # fmt: skip


def highest_version(tags: Iterable[str]) -> str | None:
    """The highest semantic-version tag, releases preferred over pre-releases; None if none."""
    versioned = [(key, tag) for tag in tags if (key := _version_key(tag)) is not None]
    if not versioned:
        return None
    releases = [item for item in versioned if item[0][3] == 1]
    return max(releases or versioned, key=lambda item: item[0])[1]


def resolve(github: RepoGitHub, asked: str) -> tuple[str, str]:
    """(ref name, commit SHA) for a checked ref; `latest` becomes the tag it stands for."""
    name = asked
    if asked == LATEST:
        name = github.latest_release_tag() or highest_version(github.tag_names()) or ""
        if not name:
            raise RefError("`latest` needs a release or a version tag (like `v1.2.0`); none found")
    sha = github.resolve_ref(name)
    if sha is None:
        raise RefError(f"`{name}` is not a branch, tag or commit of this repository")
    return name, sha
