#!/usr/bin/env bash
# NLU cross-validation (5 folds): trains the NLU pipeline five times, so it is a benchmark, not a test.
# Prints the intent table and the macro-averaged F1 from Rasa's report.
set -euo pipefail
cd "$(dirname "$0")/.."
# Rasa's cache under var/ (ignored), never .rasa/ in the work tree; no telemetry.
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-$PWD/var/rasa/cache}"
export RASA_TELEMETRY_ENABLED=false
out=var/rasa/cross-validation
rm -rf "$out"
start=$(date +%s)
.venv-rasa/bin/rasa test nlu --nlu bot/data/nlu --config config.yml --cross-validation --folds 5 \
  --out "$out" > "$out.log" 2>&1 || { tail -30 "$out.log"; exit 1; }
.venv/bin/python - "$out/intent_report.json" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print("| intent | precision | recall | F1 | support |")
print("| --- | --- | --- | --- | --- |")
for name, row in sorted(report.items()):
    if isinstance(row, dict) and "f1-score" in row and name not in ("macro avg", "weighted avg", "micro avg"):
        print(f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} | {row['support']} |")
for name in ("macro avg", "weighted avg"):
    row = report[name]
    print(f"| **{name}** | {row['precision']:.3f} | {row['recall']:.3f} | **{row['f1-score']:.3f}** | {row['support']} |")
print(f"\n5-fold cross-validation in {sys.argv[2]} s")
PY
