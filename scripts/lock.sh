#!/usr/bin/env bash
# Refresh constraints.txt: resolve the project with every extra in a throwaway virtualenv and
# pin exactly what was installed. The test command and the README's install commands install
# with these pins, so a fresh machine gets what CI tested. Run it when a dependency changes,
# then run the tests and commit constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --upgrade pip
"$work/venv/bin/pip" install -q '.[test,demo,postgres]'
{
  echo "# Exact versions CI tested, written by scripts/lock.sh (python $(python3 -c 'import platform; print(platform.python_version())'))."
  echo "# Install with: pip install -c constraints.txt -e '.[test]'"
  "$work/venv/bin/pip" freeze --exclude-editable | grep -v -i '^wellsec[= @]' | LC_ALL=C sort -f
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pins"
