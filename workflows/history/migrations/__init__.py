"""Alembic's migrations of the results history (`env.py`, `versions/`); run by `migrate`."""
