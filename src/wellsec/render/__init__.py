"""wellsec.render."""
