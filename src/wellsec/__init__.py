"""wellsec: an evidence-backed review of AWS Well-Architected SEC 1."""

__version__ = "0.1.0"

__all__ = ["__version__"]
