"""Scoring the engine on a question file (the format of shared/eval/dev_questions.jsonl).

Each line: ``{"id", "type": "answer"|"list"|"no_answer", "q", "section", "any"|"all"}``.
Retrieval is scored by the rank of the first passage from the gold section (R@1, R@3, MRR);
an answer is correct when it is an answer, its first citation is from the gold section and its
text holds the key phrases (any of ``any``, all of ``all``); abstention by precision and recall
of ``no_answer`` replies.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.answering.engine import AnswerEngine, Decision
from knowledge.answering.reply import Reply


@dataclass(frozen=True)
class EvalItem:
    id: str
    type: str
    q: str
    section: str = ""
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    # The document that answers it, when a question file spans documents (the notice set):
    # then any citation from that document, in that section, may carry the answer.
    doc: str = ""


@dataclass
class ItemResult:
    item: EvalItem
    reply: Reply
    decision: Decision
    rank: int | None
    correct: bool
    seconds: float


@dataclass
class EvalReport:
    results: list[ItemResult] = field(default_factory=list)

    @property
    def answerable(self) -> list[ItemResult]:
        return [r for r in self.results if r.item.type != "no_answer"]

    @property
    def unanswerable(self) -> list[ItemResult]:
        return [r for r in self.results if r.item.type == "no_answer"]

    def recall_at(self, k: int) -> float:
        rs = self.answerable
        return sum(1 for r in rs if r.rank is not None and r.rank <= k) / len(rs) if rs else 0.0

    def mrr(self) -> float:
        rs = self.answerable
        return sum(1 / r.rank for r in rs if r.rank) / len(rs) if rs else 0.0

    def answer_accuracy(self) -> tuple[int, int]:
        return sum(r.correct for r in self.answerable), len(self.answerable)

    def abstention(self) -> tuple[float, float, int, int]:
        declined = [r for r in self.results if r.reply.kind == "no_answer"]
        right = [r for r in declined if r.item.type == "no_answer"]
        precision = len(right) / len(declined) if declined else 1.0
        recall = len(right) / len(self.unanswerable) if self.unanswerable else 1.0
        return precision, recall, len(right), len(self.unanswerable)

    def failures(self) -> list[ItemResult]:
        return [r for r in self.results if not r.correct]


def load_items(path: Path) -> list[EvalItem]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(
                EvalItem(
                    id=str(raw.get("id", n)),
                    type=str(raw["type"]),
                    q=str(raw["q"]),
                    section=str(raw.get("section", "")),
                    any=tuple(raw.get("any", ())),
                    all=tuple(raw.get("all", ())),
                    doc=Path(str(raw.get("doc", ""))).stem,
                )
            )
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{n}: not a question line ({exc})") from exc
    return items


def _gold_rank(decision: Decision, section: str) -> int | None:
    for i, cand in enumerate(decision.ranked, start=1):
        if section and section in cand.passage.section:
            return i
    return None


def is_correct(item: EvalItem, reply: Reply) -> bool:
    """Whether one reply answers one item (public: the dialogue bench grades replies that came
    through Rasa with the same rule as the engine's)."""
    if item.type == "no_answer":
        return reply.kind == "no_answer"
    if reply.kind != "answer" or not reply.citations:
        return False
    if item.doc:
        if not any(c.doc_id == item.doc and item.section in c.section for c in reply.citations):
            return False
    elif item.section and item.section not in reply.citations[0].section:
        return False
    if item.any and not any(k in reply.text for k in item.any):
        return False
    return all(k in reply.text for k in item.all)


def evaluate(engine: AnswerEngine, items: Iterable[EvalItem]) -> EvalReport:
    report = EvalReport()
    for item in items:
        started = time.perf_counter()
        decision, reply = engine.decide_and_reply(item.q)
        seconds = time.perf_counter() - started
        rank = _gold_rank(decision, item.section) if item.type != "no_answer" else None
        report.results.append(
            ItemResult(item, reply, decision, rank, is_correct(item, reply), seconds)
        )
    return report


def format_report(report: EvalReport) -> str:
    ok, n = report.answer_accuracy()
    precision, recall, declined, unanswerable = report.abstention()
    rows = [
        ("questions", f"{len(report.results)}"),
        ("R@1", f"{report.recall_at(1):.3f}"),
        ("R@3", f"{report.recall_at(3):.3f}"),
        ("MRR", f"{report.mrr():.3f}"),
        ("answer accuracy", f"{ok}/{n}" + (f" ({ok / n:.3f})" if n else "")),
        ("abstention precision", f"{precision:.3f}"),
        ("abstention recall", f"{recall:.3f} ({declined}/{unanswerable})"),
    ]
    width = max(len(k) for k, _ in rows)
    lines = ["| metric | value |", "| --- | --- |"]
    lines += [f"| {k.ljust(width)} | {v} |" for k, v in rows]
    failures = report.failures()
    if failures:
        lines.append("")
        lines.append(f"failing questions ({len(failures)}):")
        for r in failures:
            got = r.reply.citations[0].section if r.reply.citations else "-"
            lines.append(
                f"- {r.item.id} [{r.item.type}] {r.item.q} -> {r.reply.kind}"
                f" ({r.decision.reason}); gold rank {r.rank}; cited: {got}"
            )
    return "\n".join(lines)
