"""The database: engine (open, lock, migrate), tables, people and the audit trail, and the Alembic
migrations. Every SQL statement lives here.
"""
