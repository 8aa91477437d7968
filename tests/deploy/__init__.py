"""Tests of deploy (issue 3)."""
