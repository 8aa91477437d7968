"""The published specs and payloads the tests read are the copies their READMEs name."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parent / "contracts"


def listed() -> dict[str, str]:
    lines = (CONTRACTS / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines if line)}


def present() -> set[str]:
    return {
        str(path.relative_to(CONTRACTS))
        for path in CONTRACTS.rglob("*")
        if path.is_file() and path.parent != CONTRACTS
    }


def test_every_copied_file_is_listed_with_its_checksum() -> None:
    assert present() == set(listed())


@pytest.mark.parametrize("name", sorted(listed()))
def test_each_copy_matches_its_recorded_checksum(name: str) -> None:
    digest = hashlib.sha256((CONTRACTS / name).read_bytes()).hexdigest()
    assert digest == listed()[name]


def test_each_source_folder_names_its_origin_and_license() -> None:
    readme = (CONTRACTS / "README.md").read_text(encoding="utf-8")
    for folder in {name.split("/")[0] for name in listed()}:
        assert f"`{folder}/`" in readme
    for license_name in ("Apache-2.0", "MIT", "BSD-3-Clause"):
        assert license_name in readme
