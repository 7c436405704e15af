"""Alembic migrations of the store, shipped in the package so that ``Store.open`` can run them."""
