#!/usr/bin/env bash
# The test command: a fresh virtualenv, the project with its test extras, the quality gates, the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q -c constraints.txt -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Spread over every core; a module's tests stay on one worker (its emulated organization is built once).
.venv/bin/pytest -n auto --dist loadfile "$@"
