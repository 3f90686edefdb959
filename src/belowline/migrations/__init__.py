"""Alembic migrations, run programmatically so no alembic.ini is needed at run time."""
