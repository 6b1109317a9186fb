"""The review history's tables (SQLAlchemy 2 declarative models)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class WorkloadRow(Base):
    __tablename__ = "workloads"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    environment: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(255), nullable=True)
    review_cadence_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReviewRow(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workload: Mapped[str] = mapped_column(ForeignKey("workloads.name"), index=True)
    lens_id: Mapped[str] = mapped_column(String(32))
    lens_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    risk: Mapped[str] = mapped_column(String(20))
    complete: Mapped[bool]
    report_json: Mapped[str] = mapped_column(Text)
    snapshot_zlib: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # How the review was made (None: recorded before wellsec kept it): see wellsec.provenance.
    provenance_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class PracticeStatusRow(Base):
    __tablename__ = "practice_statuses"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    practice_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(12), primary_key=True)  # "" = workload
    status: Mapped[str] = mapped_column(String(20))


class FindingRow(Base):
    __tablename__ = "findings"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[str] = mapped_column(String(128))
    practice_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[str | None] = mapped_column(String(12), nullable=True)
    region: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resource: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_findings_review_check", "review_id", "check_id"),)


class MilestoneRow(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workload: Mapped[str] = mapped_column(ForeignKey("workloads.name"))
    name: Mapped[str] = mapped_column(String(100))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("workload", "name", name="uq_milestone_name"),)
