"""Argo's two little condition languages, parsed by hand: `when` and `depends`.

Argo evaluates `when` with govaluate after substituting `{{...}}`; `depends` is its own boolean
language over task results. Both reach us as text that may carry values from a pull request
(a ref, an option), so they are tokenised and interpreted here and never handed to `eval`.

`when` subset: `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, `!`, parentheses, quoted strings
('...' or "..."), numbers, `true`/`false`. As in Argo, a bare word that is none of these is a
string (`{{inputs.parameters.side}} == base` works unquoted).

`depends` subset: task names, `task.Result` (Succeeded, Failed, Errored, Skipped, Omitted,
Daemoned, AnySucceeded, AllFailed), `&&`, `||`, `!`, parentheses. A bare `task` means
`(task.Succeeded || task.Skipped || task.Daemoned)`, as in Argo.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

RESULTS = (
    "Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed",
)  # fmt: skip


class ExpressionError(ValueError):
    """An expression outside the subset, or malformed; the message quotes it."""


@dataclass(frozen=True)
class Token:
    kind: str  # "op", "str", "num", "bool", "word", "end"
    text: str


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>&&|\|\||==|!=|<=|>=|<|>|!|\(|\))
      | (?P<dq>"(?:[^"\\]|\\.)*")
      | (?P<sq>'(?:[^'\\]|\\.)*')
      | (?P<word>[^\s&|=!<>()"']+)
    )""",
    re.VERBOSE,
)
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    stripped_end = len(text.rstrip())
    while position < stripped_end:
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"cannot read {text[position:]!r} in {text!r}")
        position = match.end()
        if match.group("op"):
            tokens.append(Token("op", match.group("op")))
        elif match.group("dq") or match.group("sq"):
            raw = (match.group("dq") or match.group("sq"))[1:-1]
            tokens.append(Token("str", re.sub(r"\\(.)", r"\1", raw)))
        else:
            word = match.group("word")
            if word in ("true", "false"):
                tokens.append(Token("bool", word))
            elif _NUMBER.match(word):
                tokens.append(Token("num", word))
            else:
                tokens.append(Token("word", word))
    tokens.append(Token("end", ""))
    return tokens


class _Parser:
    """Recursive descent: or -> and -> not -> comparison -> atom."""

    def __init__(self, text: str, atom: Callable[[Token], object], comparisons: bool) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.atom_value = atom
        self.comparisons = comparisons

    def parse(self) -> object:
        if self.tokens[0].kind == "end":
            raise ExpressionError("empty expression")
        value = self._or()
        if self._peek().kind != "end":
            raise ExpressionError(f"unexpected {self._peek().text!r} in {self.text!r}")
        return value

    def _peek(self) -> Token:
        return self.tokens[self.index]

    def _take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _or(self) -> object:
        left = self._and()
        while self._peek().text == "||" and self._peek().kind == "op":
            self._take()
            right = self._and()
            left = _truth(left, self.text) or _truth(right, self.text)
        return left

    def _and(self) -> object:
        left = self._not()
        while self._peek().text == "&&" and self._peek().kind == "op":
            self._take()
            right = self._not()
            left = _truth(left, self.text) and _truth(right, self.text)
        return left

    def _not(self) -> object:
        if self._peek().kind == "op" and self._peek().text == "!":
            self._take()
            return not _truth(self._not(), self.text)
        return self._comparison()

    def _comparison(self) -> object:
        left = self._atom()
        token = self._peek()
        if token.kind == "op" and token.text in ("==", "!=", "<", "<=", ">", ">="):
            if not self.comparisons:
                raise ExpressionError(f"{token.text!r} is not allowed in {self.text!r}")
            self._take()
            return _compare(token.text, left, self._atom(), self.text)
        return left

    def _atom(self) -> object:
        token = self._take()
        if token.kind == "op" and token.text == "(":
            value = self._or()
            closing = self._take()
            if closing.text != ")" or closing.kind != "op":
                raise ExpressionError(f"missing ')' in {self.text!r}")
            return value
        if token.kind in ("op", "end"):
            raise ExpressionError(f"unexpected {token.text or 'end'!r} in {self.text!r}")
        return self.atom_value(token)


def _truth(value: object, text: str) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError(f"{value!r} is not true or false in {text!r}")
    return value


def _compare(op: str, left: object, right: object, text: str) -> bool:
    if op in ("==", "!="):
        same = type(left) is type(right) and left == right
        return same if op == "==" else not same
    if not (isinstance(left, float) and isinstance(right, float)):
        raise ExpressionError(f"{op!r} compares numbers only, in {text!r}")
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _when_atom(token: Token) -> object:
    if token.kind == "bool":
        return token.text == "true"
    if token.kind == "num":
        return float(token.text)
    return token.text  # quoted string, or a bare word Argo also reads as a string


def evaluate_when(text: str) -> bool:
    """The truth of a substituted `when` expression; ExpressionError if it is not boolean."""
    value = _Parser(text, _when_atom, comparisons=True).parse()
    if not isinstance(value, bool):
        raise ExpressionError(f"expected true or false from {text!r}, got {value!r}")
    return value


_DEPENDENCY = re.compile(r"^(?P<task>[A-Za-z0-9_-]+)(\.(?P<result>[A-Za-z]+))?$")


def _split_dependency(token: Token, text: str) -> tuple[str, str | None]:
    match = _DEPENDENCY.match(token.text) if token.kind in ("word", "num", "bool") else None
    if match is None:
        raise ExpressionError(f"{token.text!r} is not a task or task.Result in {text!r}")
    result = match.group("result")
    if result is not None and result not in RESULTS:
        raise ExpressionError(
            f"{token.text!r}: unknown result {result!r} (expected one of {', '.join(RESULTS)})"
        )
    return match.group("task"), result


def depends_tasks(text: str) -> list[str]:
    """Task names an expression refers to, in order of first mention."""
    names: list[str] = []

    def collect(token: Token) -> bool:
        task, _ = _split_dependency(token, text)
        if task not in names:
            names.append(task)
        return True

    _Parser(text, collect, comparisons=False).parse()
    return names


def depends_results(text: str) -> set[tuple[str, str]]:
    """The explicit `(task, Result)` pairs of an expression (to tell who handles a failure)."""
    pairs: set[tuple[str, str]] = set()

    def collect(token: Token) -> bool:
        task, result = _split_dependency(token, text)
        if result is not None:
            pairs.add((task, result))
        return True

    _Parser(text, collect, comparisons=False).parse()
    return pairs


def evaluate_depends(text: str, result_of: Callable[[str, str], bool]) -> bool:
    """Evaluate `depends` given `result_of(task, Result) -> bool` for finished tasks."""

    def atom(token: Token) -> bool:
        task, result = _split_dependency(token, text)
        if result is None:
            return any(result_of(task, r) for r in ("Succeeded", "Skipped", "Daemoned"))
        return result_of(task, result)

    value = _Parser(text, atom, comparisons=False).parse()
    return bool(value)
