"""Tests of argo (issue 3)."""
