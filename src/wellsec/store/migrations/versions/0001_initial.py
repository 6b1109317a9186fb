"""Initial schema: workloads, reviews, practice statuses, findings, milestones.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workloads",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("environment", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(255), nullable=True),
        sa.Column("review_cadence_days", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workload", sa.String(100), sa.ForeignKey("workloads.name"), nullable=False),
        sa.Column("lens_id", sa.String(32), nullable=False),
        sa.Column("lens_version", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("risk", sa.String(20), nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("report_json", sa.Text, nullable=False),
        sa.Column("snapshot_zlib", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_reviews_workload", "reviews", ["workload"])
    op.create_index("ix_reviews_created_at", "reviews", ["created_at"])
    op.create_table(
        "practice_statuses",
        sa.Column(
            "review_id",
            sa.Integer,
            sa.ForeignKey("reviews.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("practice_id", sa.String(32), primary_key=True),
        sa.Column("account_id", sa.String(12), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column(
            "review_id",
            sa.Integer,
            sa.ForeignKey("reviews.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("check_id", sa.String(128), nullable=False),
        sa.Column("practice_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("account_id", sa.String(12), nullable=True),
        sa.Column("region", sa.String(32), nullable=True),
        sa.Column("resource", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_findings_review_check", "findings", ["review_id", "check_id"])
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workload", sa.String(100), sa.ForeignKey("workloads.name"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("review_id", sa.Integer, sa.ForeignKey("reviews.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workload", "name", name="uq_milestone_name"),
    )


def downgrade() -> None:
    for table in ("milestones", "findings", "practice_statuses", "reviews", "workloads"):
        op.drop_table(table)
