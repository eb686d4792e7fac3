#!/usr/bin/env bash
# pip-audit of both locked environments (the app's and Rasa's), against PyPI's advisory data.
# A known vulnerability fails the run. A package the advisory service cannot be asked about
# (no network to it, or a mirror without PyPI's JSON API, as on this project's machines) is
# listed as not audited and does not fail it: the summary line says how many were audited.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for lock in requirements/app.lock requirements/rasa.lock; do
  out=$(.venv/bin/pip-audit -r "$lock" --no-deps --disable-pip --vulnerability-service pypi \
        --progress-spinner off --format columns 2>&1)
  code=$?
  total=$(grep -c '==' "$lock")
  skipped=$(grep -c "could not be audited" <<< "$out")
  if [ $code -ne 0 ] && ! grep -q "No known vulnerabilities found" <<< "$out"; then
    echo "$out" | grep -v "could not be audited"
    echo "pip-audit $lock: vulnerabilities found (see above)"
    status=1
  else
    echo "pip-audit $lock: no known vulnerabilities; audited $((total - skipped)) of $total" \
         "packages ($skipped could not be looked up: advisory service unreachable)"
  fi
done
exit $status
