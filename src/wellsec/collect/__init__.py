"""wellsec.collect."""
