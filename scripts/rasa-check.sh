#!/usr/bin/env bash
# Rasa's own checks: the training data is consistent (no warnings), and the conversation tests
# pass end to end (NLU on the users' words, then the policies) with no prediction error.
set -euo pipefail
cd "$(dirname "$0")/.."
# Rasa's cache under var/ (ignored), never .rasa/ in the work tree; no telemetry.
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-$PWD/var/rasa/cache}"
export RASA_TELEMETRY_ENABLED=false
rasa=.venv-rasa/bin/rasa
mkdir -p var/rasa
if ! $rasa data validate --config config.yml --domain bot/domain --data bot/data \
  --fail-on-warnings > var/rasa/validate.log 2>&1; then
  grep -E "UserWarning|ERROR|error" var/rasa/validate.log | tail -20
  echo "rasa data validate: FAILED (var/rasa/validate.log)"
  exit 1
fi
echo "rasa data validate: clean"
if ! $rasa test core --e2e --model var/rasa/models/planbot.tar.gz --stories tests/rasa \
  --fail-on-prediction-errors --out var/rasa/results > var/rasa/test.log 2>&1; then
  grep -A60 "Failed Story" var/rasa/test.log | head -80
  echo "rasa conversation tests: FAILED (var/rasa/test.log)"
  exit 1
fi
grep -E "Evaluating [0-9]+ stories|Correct:" var/rasa/test.log | sed 's/.*INFO *//'
echo "rasa conversation tests: passed"
