"""`horreum:` in perfbot.yaml: which Horreum instance, test and team a repository's runs go to.

A repository sets it for all its jobs; a job's own `horreum:` replaces the repository's whole
(no key-by-key merge: a job that reports to another team names that team's Secret too). The
API key itself is never in the file: `api_key_secret` names the Kubernetes Secret (key
`api-key`) mounted into the bot, the only process that uploads.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ACCESS = ("PUBLIC", "PROTECTED", "PRIVATE")
SECRET_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")  # a Kubernetes name
DEFAULT_SECRET = "perfbot-horreum"  # noqa: S105 - a Secret's name, not its value


class HorreumConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str  # Horreum's base URL, e.g. https://horreum.example.com
    test: str = Field(min_length=1, max_length=255)  # the Horreum test (name or id)
    owner: str = Field(min_length=1, max_length=255)  # the owning team role, e.g. perf-team
    access: Literal["PUBLIC", "PROTECTED", "PRIVATE"] = "PROTECTED"
    api_key_secret: str = DEFAULT_SECRET

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/@]+(/[^\s]*)?$", value):
            raise ValueError("expected an http(s) URL such as https://horreum.example.com")
        return value.rstrip("/")

    @field_validator("owner")
    @classmethod
    def _owner(cls, value: str) -> str:
        if not value.endswith("-team"):
            raise ValueError("expected a Horreum team role such as perf-team (it ends in -team)")
        return value

    @field_validator("api_key_secret")
    @classmethod
    def _secret(cls, value: str) -> str:
        if not SECRET_NAME_RE.match(value):
            raise ValueError("expected a Kubernetes Secret name (lowercase letters, digits, '-')")
        return value

    def run_url(self, run_id: int | str) -> str:
        """Horreum's UI page of one run."""
        return f"{self.url}/run/{run_id}"
