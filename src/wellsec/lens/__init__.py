"""Lenses: the question as data."""

from wellsec.lens.loader import DEFAULT_LENS, load_lens, load_lens_file, parse_lens
from wellsec.lens.model import BestPractice, Lens, QuestionRisk, RiskLevel

__all__ = [
    "DEFAULT_LENS",
    "BestPractice",
    "Lens",
    "QuestionRisk",
    "RiskLevel",
    "load_lens",
    "load_lens_file",
    "parse_lens",
]
