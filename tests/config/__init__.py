"""Tests of config (issue 3)."""
