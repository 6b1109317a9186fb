"""``python -m wellsec``."""

from wellsec.cli import main

main()
