"""``action_answer_relocation``: what the plan says about land acquisition and resettlement.

The topic rule: never compute or promise an individual's compensation or eligibility. Whatever
the plan says is quoted; the route to the official channel always follows, as a notice of its
own (guidance, not a statement from the plan).
"""

from __future__ import annotations

from actions import wiring
from actions.answering import AnsweringAction
from knowledge.answering.engine import Decision
from knowledge.answering.reply import Reply

# The configured hotline is filled in (``PLANBOT_HOTLINE``, actions/wiring.py).
OFFICIAL_CHANNEL = (
    "个人的征地拆迁补偿、安置标准和资格，以主管部门正式公布的政策和签订的协议为准，"
    "规划不针对个人作出承诺。具体情况请咨询所在镇（街道）或拨打{hotline}市民服务热线。"
)


class ActionAnswerRelocation(AnsweringAction):
    topic = "relocation"

    def name(self) -> str:
        return "action_answer_relocation"

    def adjust(self, decision: Decision, reply: Reply) -> Reply:
        note = OFFICIAL_CHANNEL.format(hotline=wiring.hotline())
        return reply.model_copy(update={"notice": note})
