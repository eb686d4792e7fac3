"""The questions the cooperation and contact forms ask, as Replies of kind ``form``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import send
from knowledge.answering.reply import Button, Reply

ASK_INDUSTRY = Reply(
    kind="form",
    text="请问贵企业属于什么行业？例如集成电路、生物医药、汽车零部件、电子商务等。",
)
ASK_NEED = Reply(
    kind="form",
    text="您主要想了解哪方面？",
    buttons=[
        Button(title="项目落地选址", payload='/inform_need{"cooperation_need": "site"}'),
        Button(title="合作共建园区", payload='/inform_need{"cooperation_need": "park"}'),
        Button(title="生产环节与产能布局", payload='/inform_need{"cooperation_need": "capacity"}'),
    ],
)
ASK_CONTACT = Reply(
    kind="form",
    text=(
        "请留下联系人和电话（或邮箱），工作人员会与您联系。您提供的联系方式仅用于回复本次咨询。"
        "如不想留下，可以说“算了”。"
    ),
)


class FormPrompt(Action, ABC):
    """A form's question for one slot (abstract, so rasa-sdk registers only the subclasses)."""

    prompt: Reply

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        send(dispatcher, self.prompt)
        return []
