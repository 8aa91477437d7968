"""The bot never starts a process, so no value from a comment can reach a shell through it.

Comment values leave the bot only as JSON (GitHub's API, the Argo Server's submit request).
Inside the workflows they reach steps as environment values or argv items only: see
tests/pipeline/test_injection.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
PROCESS_MODULES = {"subprocess", "pty", "pexpect", "sh"}
PROCESS_CALLS = {"system", "popen", "spawnl", "spawnlp", "spawnv", "spawnvp", "execv", "execvp"}


def modules() -> list[Path]:
    return sorted(BOT.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_no_bot_module_starts_a_process(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not {a.name.split(".")[0] for a in node.names} & PROCESS_MODULES
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] not in PROCESS_MODULES
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert not (node.value.id == "os" and node.attr in PROCESS_CALLS), ast.dump(node)


def test_the_bot_has_modules_to_check() -> None:
    assert len(modules()) > 10
