"""``action_answer_transport``: a named project, or a list by type (铁路, 高速, 机场).

List questions are gathered by the engine from every passage naming that type, each cited.
"""

from __future__ import annotations

from actions.answering import AnsweringAction


class ActionAnswerTransport(AnsweringAction):
    topic = "transport"

    def name(self) -> str:
        return "action_answer_transport"
