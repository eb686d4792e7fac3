"""``action_answer``: any question about the plan (and anything the classifier is unsure of)."""

from __future__ import annotations

from actions.answering import AnsweringAction


class ActionAnswer(AnsweringAction):
    topic = "plan"

    def name(self) -> str:
        return "action_answer"
