"""Values the bot's tests share: secrets of the test setup, SHAs of the seeded repository."""

from __future__ import annotations

WEBHOOK_SECRET = "It's a Secret to Everybody"
CALLBACK_SECRET = "callback-secret-for-tests"
ARGO_TOKEN = "argo-test-token"
PUBLIC_URL = "http://perfbot.test"
ARGO_UI = "https://argo.example.test"
TEMPLATES = ("perf-api", "perf-cli")
HEAD_SHA = "e" * 40
MAIN_SHA = "a" * 40
TAG_SHA = "c" * 40
