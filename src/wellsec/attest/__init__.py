"""wellsec.attest."""
