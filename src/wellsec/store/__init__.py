"""Review history: stored reviews, milestones, the review calendar.

Import from ``wellsec.store.store``; this package module stays light so that
commands that do not touch the store do not pay for SQLAlchemy and Alembic.
"""
