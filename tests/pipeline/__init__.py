"""Tests of pipeline (issue 3)."""
