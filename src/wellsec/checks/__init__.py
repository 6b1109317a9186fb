"""wellsec.checks."""
