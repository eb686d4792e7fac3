"""The thresholds of the answer engine, in one place, with how they were chosen.

They were set on the team's own question file (eval/team_questions.jsonl), then checked against
the development set; the engine holds no per-question rule. Change them only with a measurement
(`planbot eval`) on both files.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerPolicy:
    # How many fused candidates are re-ranked by term coverage; list questions look further,
    # since every passage naming the listed kind belongs in the answer.
    rerank_depth: int = 8
    list_depth: int = 30
    # Weight of term coverage against the fused rank score when re-ranking.
    coverage_weight: float = 0.6
    # A term is "found" in the evidence when at least this share of its bigrams occurs there.
    term_found: float = 0.5
    # Below this dense cosine the best passage is never on the question's topic (e5 cosines of
    # unrelated Chinese sentences sit around 0.80-0.86).
    dense_floor: float = 0.845
    # The evidence must reach this support: its dense cosine plus a bonus for the share of the
    # question's terms it contains. On the team's questions unanswerable ones that no detail
    # pattern catches reached at most 0.89, answerable ones at least 0.91.
    coverage_bonus: float = 0.1
    support_needed: float = 0.892
    # A further passage joins the answer when its score is this close to the best one.
    companion_ratio: float = 0.85
    max_answer_passages: int = 3
    max_list_passages: int = 6
    # A list item must score at least this share of the best passage (a passage that merely
    # names the listed kind in passing scores far lower than one about it).
    list_item_ratio: float = 0.5
    max_related: int = 3
