"""Certificates for the harness, made with openssl: a CA, and certificates it signs.

One module for the three places that need them: the node's own PKI (the API server's serving
certificate, the admin client), the git server's CA that the argoexec image trusts, and the
git server's certificate.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def openssl(folder: Path, *args: str) -> None:
    result = subprocess.run(["openssl", *args], cwd=folder, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def make_ca(folder: Path, name: str, days: int) -> tuple[Path, Path]:
    """`<folder>/<name>.crt` and `.key`: a self-signed CA whose common name is `name`."""
    folder.mkdir(parents=True, exist_ok=True)
    openssl(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
            "-out", f"{name}.crt", "-days", str(days), "-subj", f"/CN={name}")  # fmt: skip
    return folder / f"{name}.crt", folder / f"{name}.key"


def sign(
    folder: Path, ca: tuple[Path, Path], name: str, subject: str, extensions: str, days: int
) -> tuple[Path, Path]:
    """`<folder>/<name>.crt` and `.key`, signed by `ca`, with `extensions` (openssl's syntax:
    subjectAltName, extendedKeyUsage)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.ext").write_text(extensions)
    openssl(folder, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
            "-out", f"{name}.csr", "-subj", subject)  # fmt: skip
    openssl(folder, "x509", "-req", "-in", f"{name}.csr", "-CA", str(ca[0]), "-CAkey",
            str(ca[1]), "-CAcreateserial", "-out", f"{name}.crt", "-days", str(days),
            "-extfile", f"{name}.ext")  # fmt: skip
    return folder / f"{name}.crt", folder / f"{name}.key"
