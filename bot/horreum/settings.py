"""The bot's Horreum settings, from the environment: where the API keys are, the action token.

perfbot.yaml names, per repository or job, the Kubernetes Secret holding a Horreum API key;
the bot reads it from the Secret mounted under `PERFBOT_HORREUM_SECRETS_DIR/<secret>/api-key`
at the time of the upload, so a rotated key is used without a restart. Only the bot mounts
these Secrets: no workflow pod sees a Horreum key. `POST /horreum` answers only when
`PERFBOT_HORREUM_ACTION_TOKEN` is set; Horreum signs nothing, so that token in the action's URL
is all that tells Horreum's calls from anyone's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.shared.settings import SettingsError

DEFAULT_SECRETS_DIR = "/var/run/secrets/perfbot/horreum"
KEY_FILE = "api-key"
MIN_TOKEN_LENGTH = 24


@dataclass(frozen=True)
class HorreumSettings:
    secrets_dir: Path = Path(DEFAULT_SECRETS_DIR)
    action_token: str | None = None
    timeout: float = 4.0  # seconds per Horreum call
    retry_delays: tuple[float, ...] = (1.0, 3.0, 9.0)  # before the 2nd, 3rd, 4th upload attempt
    keys: Mapping[str, str] = field(default_factory=dict)  # Secret name -> key (tests)

    def api_key(self, secret: str) -> str | None:
        if secret in self.keys:
            return self.keys[secret]
        try:
            return (self.secrets_dir / secret / KEY_FILE).read_text(
                encoding="utf-8"
            ).strip() or None
        except OSError:
            return None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> HorreumSettings:
        token = env.get("PERFBOT_HORREUM_ACTION_TOKEN", "").strip() or None
        if token is not None and len(token) < MIN_TOKEN_LENGTH:
            raise SettingsError(
                f"PERFBOT_HORREUM_ACTION_TOKEN must be at least {MIN_TOKEN_LENGTH} characters "
                "(it is all that authenticates Horreum's calls); try `openssl rand -hex 24`"
            )
        raw_delays = env.get("PERFBOT_HORREUM_RETRY_DELAYS", "").strip()
        try:
            delays = (
                tuple(float(d) for d in raw_delays.split(",")) if raw_delays else (1.0, 3.0, 9.0)
            )
            timeout = float(env.get("PERFBOT_HORREUM_TIMEOUT", "").strip() or 4.0)
        except ValueError:
            raise SettingsError(
                "PERFBOT_HORREUM_RETRY_DELAYS must be seconds separated by commas (1,3,9) and "
                "PERFBOT_HORREUM_TIMEOUT a number"
            ) from None
        if timeout <= 0 or any(d < 0 for d in delays):
            raise SettingsError("PERFBOT_HORREUM_TIMEOUT and the retry delays must be positive")
        return cls(
            secrets_dir=Path(
                env.get("PERFBOT_HORREUM_SECRETS_DIR", "").strip() or DEFAULT_SECRETS_DIR
            ),
            action_token=token,
            timeout=timeout,
            retry_delays=delays,
        )
