"""Refs a comment may name, git's rules plus perfbot's character set, and `latest`."""

from __future__ import annotations

import re

import pytest

from bot.runs.arguments import RunArguments, parse_run_arguments
from bot.runs.refs import MAX_REF_LENGTH, RefError, check_ref, highest_version, resolve
from tests.bot.fakes import FakeRepo

GOOD_REFS = [
    "main",
    "v1.2.0",
    "release/1.2",
    "feature/a-b_c",
    "v1.1.1-nightly",
    "a" * 40,
    "1.0",
    "user@host-branch",
    "c++",
    "x" * MAX_REF_LENGTH,
]

BAD_REFS = [
    ("main;curl x|sh", "characters"),
    ("--upload-pack=x", "start with `-`"),
    ("-x", "start with `-`"),
    ("a..b", "`..`"),
    ("foo.lock", "`.lock`"),
    ("dir/foo.lock/x", "`.lock`"),
    ("x" * 300, "longer than"),
    ("x" * (MAX_REF_LENGTH + 1), "longer than"),
    (".hidden", "starting with `.`"),
    ("a/.b", "starting with `.`"),
    ("/main", "`/`"),
    ("main/", "`/`"),
    ("a//b", "`/`"),
    ("main.", "trailing `.`"),
    ("@", "`@` alone"),
    ("main@{1}", "characters"),
    ("ma in", "characters"),
    ("ma~1", "characters"),
    ("ma^", "characters"),
    ("a:b", "characters"),
    ("a?b", "characters"),
    ("a*b", "characters"),
    ("a[b", "characters"),
    ("a\\b", "characters"),
    ("$(id)", "characters"),
    ("`id`", "characters"),
    ("main\nx", "characters"),
    ("brañch", "characters"),
    ("", "empty"),
]


@pytest.mark.parametrize("ref", GOOD_REFS)
def test_an_ordinary_ref_is_accepted_unchanged(ref: str) -> None:
    assert check_ref(ref) == ref


@pytest.mark.parametrize(("ref", "reason"), BAD_REFS)
def test_a_bad_ref_is_refused_with_the_rule_it_breaks(ref: str, reason: str) -> None:
    with pytest.raises(RefError, match=re.escape(reason)):
        check_ref(ref)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["v1.0.0", "v1.10.0", "v1.9.3"], "v1.10.0"),  # numeric, not lexical
        (["1.2.3", "v1.2.4"], "v1.2.4"),  # with or without the v
        (["v2.0.0-rc.1", "v1.9.0"], "v1.9.0"),  # a release beats a newer pre-release
        (["v2.0.0-rc.1", "v2.0.0-rc.2"], "v2.0.0-rc.2"),  # only pre-releases: the highest
        (["v2.0.0-alpha", "v2.0.0-alpha.1"], "v2.0.0-alpha.1"),  # semver precedence
        (["v2.0.0-rc.2", "v2.0.0-rc.10"], "v2.0.0-rc.10"),  # numeric identifiers
        (["v1.0.0+build.5", "v0.9.0"], "v1.0.0+build.5"),
        (["nightly", "latest-build", "v1.2"], None),  # not semantic versions
        ([], None),
        (["v01.2.3", "v1.2.2"], "v1.2.2"),  # leading zeros are not semver
    ],
)
def test_the_highest_semantic_version_is_chosen(tags: list[str], expected: str | None) -> None:
    assert highest_version(tags) == expected


def test_latest_is_the_newest_release_when_there_is_one() -> None:
    repo = FakeRepo("o/r", latest_release="v1.0.0", tags=["v9.0.0"], refs={"v1.0.0": "1" * 40})
    assert resolve(repo, "latest") == ("v1.0.0", "1" * 40)
    assert ("tag_names", {}) not in repo.calls


def test_latest_falls_back_to_the_highest_version_tag_without_releases() -> None:
    repo = FakeRepo("o/r", tags=["v1.2.0", "v1.10.0", "junk"], refs={"v1.10.0": "2" * 40})
    assert resolve(repo, "latest") == ("v1.10.0", "2" * 40)


def test_latest_without_releases_or_version_tags_is_an_error() -> None:
    with pytest.raises(RefError, match="release or a version tag"):
        resolve(FakeRepo("o/r", tags=["nightly"]), "latest")


def test_an_unknown_ref_is_an_error_naming_it() -> None:
    with pytest.raises(RefError, match="`nope` is not a branch, tag or commit"):
        resolve(FakeRepo("o/r"), "nope")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], RunArguments()),
        (["main"], RunArguments("main")),
        (["main", "rounds=20"], RunArguments("main", {"rounds": "20"})),
        (["rounds=20"], RunArguments(None, {"rounds": "20"})),
        (["rounds=20", "profile=full"], RunArguments(None, {"rounds": "20", "profile": "full"})),
        (["main", "note="], RunArguments("main", {"note": ""})),
    ],
)
def test_run_words_are_a_ref_then_options(words: list[str], expected: RunArguments) -> None:
    assert parse_run_arguments(words) == expected


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        (["main", "v1"], "at most one ref"),
        (["rounds=20", "main"], "at most one ref"),
        (["main", "rounds=1", "rounds=2"], "given twice"),
        (["main", "=x"], "not a `key=value` option"),
        (["main", "a;b=c"], "not a `key=value` option"),
        (["--upload-pack=x"], "not a `key=value` option"),
        (["main;curl x|sh"], "characters"),
    ],
)
def test_malformed_run_words_are_refused(words: list[str], reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_run_arguments(words)
