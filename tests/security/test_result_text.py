"""Text from result files is hostile: it reaches the PR comment, the check run, the HTML report
and the history store, and none of it may add structure to what the bot writes.

The Markdown property: a report whose benchmark name, unit and machine are hostile parses
(markdown-it, CommonMark with GitHub's tables) into exactly the same tokens as the same report
with a plain name; only the text inside differs. On top of what CommonMark knows, GitHub
autolinks bare URLs and e-mail addresses and notifies @mentions, so the raw text must carry none.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workflows.compare.engine import compare
from workflows.compare.html_report import render_html
from workflows.compare.markdown_report import render_markdown
from workflows.results import ResultSet, make_benchmark
from workflows.untrusted import BIDI_CONTROLS, clean, markdown_text

HOSTILE = {
    "html element": "<img src=x onerror=alert(1)>",
    "script": "<script>alert(1)</script>",
    "markdown image": "![x](https://tracker.example/p.png)",
    "javascript link": "[click](javascript:alert(1))",
    "reference link": "[click][1]\n\n[1]: https://evil.example",
    "closing details": "</details></code>",
    "new table row": "a\n| injected | row | | | | | |",
    "pipes": "a|b|c",
    "team mention": "@octo-org/everyone",
    "e-mail autolink": "root@evil.example",
    "url autolink": "see https://evil.example/x",
    "www autolink": "www.evil.example",
    "angle autolink": "<https://evil.example>",
    "html comment": "<!-- perfbot:job=api -->",
    "code fence": "```\nfence",
    "heading": "\n# Approved",
    "emphasis": "**bold** _it_ ~~gone~~",
    "math": "$\\huge x$",
    "entity": "&lt;b&gt; &#x40;user",
    "backslash": "\\| \\[x\\]",
    "control characters": "a\x1b[31mred\x07\x08",
    "nul": "a\x00b",
    "carriage return": "a\rb\r\n| x |",
    "line separator": "a\u2028b\u2029c\x85d",
    "bidi override": "admin\u202egnp.exe",
    "bidi isolate": "\u2067evil\u2069",
    "fullwidth lookalikes": "＜script＞ｈｔｔｐｓ：／／evil",
    "huge": "A" * 100_000,
}
URLISH = re.compile(r"(?i)(https?|ftp)://|www\.|mailto:|xmpp:")
MENTION = re.compile(r"@(?!\u200b)")
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _shape(markdown: str) -> list[str]:
    """The token structure, text left out: what a hostile string must not change."""
    shape = []
    for token in _PARSER.parse(markdown):
        shape.append(f"{token.type}:{token.tag}")
        for child in token.children or []:
            shape.append(f"  {child.type}:{child.tag}" if child.type != "text" else "  text")
    collapsed: list[str] = []
    for item in shape:  # adjacent text tokens are one text
        if not (item == "  text" and collapsed and collapsed[-1] == "  text"):
            collapsed.append(item)
    return collapsed


def _report(text: str, render=render_markdown) -> str:
    def side(source: str, values: list[float]) -> ResultSet:
        benchmarks = [
            make_benchmark(text, text, samples=values),
            make_benchmark("steady", "ms", samples=[5.0, 5.1, 4.9, 5.0, 5.05, 4.95]),
        ]
        return ResultSet.build(source, "perfbot", benchmarks, {"node": text, "warnings": [text]})

    base = side("base.json", [10.0, 10.2, 9.9, 10.1, 10.0, 9.8])
    head = side("head.json", [20.0, 20.3, 19.8, 20.1, 20.2, 19.9])
    return render(compare(base, head))


def _assert_inert(text: str) -> None:
    hostile, plain = _report(text), _report("plain")
    assert _shape(hostile) == _shape(plain)
    assert not URLISH.search(hostile)
    assert not MENTION.search(hostile)
    assert "\x00" not in hostile
    assert not BIDI_CONTROLS & set(hostile)
    assert len(hostile) < len(plain) + 2_000  # bounded, however long the input


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_name_unit_or_machine_adds_nothing_to_the_markdown_report(text: str) -> None:
    _assert_inert(text)


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=200).filter(lambda t: t.strip() and t != "steady"))
def test_no_result_text_can_add_structure_to_the_markdown_report(text: str) -> None:
    _assert_inert(text)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def _elements(page: str) -> tuple[list[str], list[str]]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags, parser.attributes


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_name_unit_or_machine_adds_no_element_to_the_html_report(text: str) -> None:
    hostile = _report(text, render_html)
    assert _elements(hostile) == _elements(_report("plain", render_html))
    assert "\x00" not in hostile
    assert not BIDI_CONTROLS & set(hostile)


CLEANED = [
    ("a\x00b", "a\ufffdb"),
    ("evil\u202etxt", "evil\ufffdtxt"),
    ("\u2066x\u2069", "\ufffdx\ufffd"),
    ("\x1b[31m", "\ufffd[31m"),
    ("\x85", "\ufffd"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),  # whitespace the writers fold themselves
    ("naïve µs 🟢 ＜x＞", "naïve µs 🟢 ＜x＞"),  # printable text is left alone
]


@pytest.mark.parametrize(("given_text", "expected"), CLEANED)
def test_clean_replaces_what_no_report_should_carry(given_text: str, expected: str) -> None:
    assert clean(given_text) == expected


def test_names_units_and_metadata_are_cleaned_on_the_way_in() -> None:
    bench = make_benchmark("a\x00b\u202e", "x\x00", samples=[1.0], metadata={"k\x00": ["\u202e"]})
    assert (bench.name, bench.unit) == ("a\ufffdb\ufffd", "x\ufffd")
    assert bench.metadata == {"k\ufffd": ["\ufffd"]}
    found = ResultSet.build("f", "perfbot", [bench], {"node": "n\x00"})
    assert found.metadata == {"node": "n\ufffd"}


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("a|b", "a&#124;b"),
        ("https://x.example", "https:\u200b//x.example"),
        ("WWW.x.example", "WWW\u200b.x.example"),
        ("mailto:a", "mailto\u200b:a"),
        ("@team", "@\u200bteam"),
        ("x" * 10, "xxxx…"),
    ],
)
def test_markdown_text(given_text: str, expected: str) -> None:
    assert markdown_text(given_text, 5 if expected.endswith("…") else 100) == expected
