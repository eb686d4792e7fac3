#!/usr/bin/env bash
# Print the path of a working Python interpreter of the requested minor version (e.g. 3.10).
# pyenv shims such as `python3.10` fail unless that version is selected, so this tries the
# real interpreters under pyenv's versions directory as well, and checks each one runs.
set -u
want="$1"
candidates=()
[ -n "${PYENV_ROOT:-}" ] && candidates+=("$PYENV_ROOT"/versions/"$want".*/bin/python"$want")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null) && candidates+=("$root"/versions/"$want".*/bin/python"$want")
fi
candidates+=("$HOME"/.pyenv/versions/"$want".*/bin/python"$want" /usr/local/bin/python"$want" /usr/bin/python"$want")
command -v "python$want" >/dev/null 2>&1 && candidates+=("$(command -v "python$want")")
for p in "${candidates[@]}"; do
  [ -x "$p" ] || continue
  if "$p" -c "import sys, venv; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" >/dev/null 2>&1; then
    echo "$p"
    exit 0
  fi
done
echo "No working Python $want found. Install it (e.g. 'pyenv install $want') or pass PYTHON${want/./}=/path/to/python$want to make." >&2
exit 1
