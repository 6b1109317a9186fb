"""The typed review report (``wellsec.review/1``) and its one JSON codec."""

from __future__ import annotations

from wellsec.report.codec import from_json_dict, to_json_dict
from wellsec.report.model import SCHEMA, PracticeStatus, Report

__all__ = ["SCHEMA", "PracticeStatus", "Report", "from_json_dict", "to_json_dict"]
