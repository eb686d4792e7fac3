"""Rasa 3.6 as this assistant runs it: ``python -m rasa_runtime run …`` is ``rasa run …`` with
two measured costs removed: the per-call schema check of action results
(:mod:`rasa_runtime.action_results`) and full garbage collections walking the loaded model
(:mod:`rasa_runtime.gc_freeze`). It also holds the NLU pipeline's one custom component,
:mod:`rasa_runtime.sentence_featurizer` (named in ``config.yml``).

This package runs in the Rasa environment (Python 3.10), never in the app's. The two patches
change no behaviour of Rasa: conversations, predictions and error messages stay exactly as
upstream. The featurizer is a pipeline component like Rasa's own, chosen in ``config.yml``.
"""
