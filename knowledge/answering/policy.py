"""The thresholds of the answer engine, in one place, with how they were measured.

The engine holds no per-question rule. The answerability gate is fitted (below, and
`make fit-answerability`) on DRCD dev and the team's plan questions; refitted on 2026-12-05 with
the training notice set (eval/train/) added, it moved by less than its own noise (0.099 / 0.026 /
0.966 against 0.111 / 0.020 / 0.971) and answered the same questions on every set, so the
numbers below stand. The meaning test's two numbers were chosen on the training notice set and
the plan sets' declines (threshold 0.008 / 0.010 / 0.012 / 0.015: training notices answered
146 / 144 / 141 / 140 of 182, declined 24 of 75 throughout; 0.010 and below answered a plan
decline, 这周末大兴下雨吗, from a river sentence), then checked on DRCD dev, the notice set and
the hold-out set (docs/BENCHMARKS.md). The re-ranking weights and
evidence margins were set by hand and kept only when DRCD dev (`make bench-outside`) did not get
worse; some were found by reading the notice set's failures (house numbers read as dates), so
that set is a check, not a held-out one. The checks of names, roles, years and things asked
to exist (names.py, 2026-12-05) hold no number; they were kept only where the training set
gained and no other set lost, and two were narrowed after a check set lost a question (the
existence check to noun phrases after the hold-out's 有没有定期碰头开会的; local names after a
DRCD dev article), so the hold-out set is no longer untouched for those two. The 12th session's
readings (a designator's own section, sums and shares asked, an estate's lane, local bodies, the
next round, where something moved, a province's short name, a why answered by a notice's
opening) hold no number either; each was kept only where some set gained and none lost, and
DRCD dev stayed the same; the fourth blind set (eval/blind4/) was read for them only after its
one held-out measurement. The 13th and 14th sessions' readings (a company asked, a grade's unit,
a lost card, words jieba glued or cut, compensation, a schedule's place, lists written one item
to a paragraph) were kept the same way, with one exception recorded in docs/BENCHMARKS.md (a
noun's cut-off last character joined again: +3 answers, one near-domain decline lost), and the
fifth and sixth blind sets were each read only after their one held-out measurement. The
15th session's readings (another thing of the kind asked, an address asked, a person's name
asked, a thing to be shown or taken, a comparison with last year, a contractor, a detail's own
section, a sum waived, a why's clause) were kept the same way and the seventh blind set read
only after its one held-out measurement; one exception is recorded in docs/BENCHMARKS.md (甚麼
folded to 什么, so 為甚麼 reads as why: DRCD dev one answer fewer, 87.2 → 87.1 %). The 16th
and 17th sessions' readings (function characters glued into a word, a list's unlisted member,
a total over several things, a sum paid, a shortened word, a numbered member, a school term, a
departure point, a time announced later) were kept the same way, the eighth blind set read only
after its one held-out measurement. The 18th session's readings (a list's own section) and
the 19th's (those days, a road section's street number, a cost borne by others, the clauses
asking an amount, where something moved, what a check covers, what to do in a situation, a
filler's statement start, a list's key, things handed out or to be done, a fine, a refund, a
name jieba cut late, whole numbers) were kept the same way; the ninth and tenth blind sets were
read only after their one held-out measurement. The 20th session's (a notice's opening settling
a whether-question only where it names what is asked, with ``opening_gap_weight`` below; a
named period; a name cut by a dictionary word; 咋办 an interrogative; things asked to exist
after 有没有; counts in more measure words; what a sentence says to bring along; a station's
lettered exits as a place) were kept the same way, with one exception recorded in
docs/BENCHMARKS.md (the opening rule: +10 declines, one answer lost), and the eleventh set was
read only after its held-out measurement. Checked
on: the shared development set, the plan hold-out set and the notice sets (`make eval`), and
DRCD test once. Change a number only with those measurements,
and record them in docs/BENCHMARKS.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.answering.question import Hold


@dataclass(frozen=True)
class AnswerPolicy:
    # How many fused candidates are re-ranked; list questions look further, since every
    # passage naming the listed kind belongs in the answer.
    rerank_depth: int = 10
    list_depth: int = 30
    # Re-ranking: the fused rank score (1 for the best) plus these weights times the
    # specificity-weighted share of the question's terms in the sentence, in its context
    # (paragraph and headings), and the share of the asked kinds of detail it holds.
    coverage_weight: float = 0.6
    context_weight: float = 0.2
    detail_weight: float = 0.3
    # A kind of detail held loosely (冬季 for 哪天; a bare place name for 去哪) counts this share
    # of one held specifically (question.Hold), a weak one (a count that is only a year) half
    # of it. Measured on the training and check notice sets (2026-12-05, 10th session): 0.5 /
    # 0.7 / 0.75 / 0.8 answered 136 / 136 / 137 / 136 check and 158 / 159 / 159 / 159
    # training questions, DRCD dev the same misses at 0.7 and 0.8; 0.75 chosen on the check set.
    loose_hold: float = 0.75
    # A term is "found" in the evidence when at least this share of its bigrams occurs there.
    term_found: float = 0.5
    # A whether-question answered by a notice's opening alone must find there each of its
    # words of at least this weight (engine._opening_gaps): 1.0 leaves out the words the
    # sources lack that the term weights already count as common (孩子, 一起: weight 0); not
    # tuned further (the ten sets' gains all had words of weight 1.0 or more).
    opening_gap_weight: float = 1.0
    # A word of a whether-question the answering document never uses, though other documents
    # do, leaves the question unsettled when it weighs this much (jieba's IDF: 医保 8.6, 报销
    # 8.5, 申请 6.0); below, it is too common to tell (参加 5.1, 安排 5.8). Not tuned.
    whether_gap_weight: float = 6.0
    # Below this dense cosine the best passage is never on the question's topic (e5 cosines of
    # unrelated Chinese sentences sit around 0.80-0.86).
    dense_floor: float = 0.80
    # The answerability gate, a logistic regression on three features of the best sentence
    # (`make fit-answerability`): its dense cosine, the weighted share of the question's words
    # found in its context (sentence, paragraph, headings), and the share of the top
    # `concentration_depth` candidates that come from its document. Fitted on DRCD dev (1,443
    # answerable, 800 unanswerable questions) and the team's 44 plan questions, written here as
    # the equivalent linear support, with the cut-off that lets 4 % of DRCD dev's unanswerable
    # questions through (the target is at most 5 %). A sentence-only coverage was measured as a
    # fourth feature and dropped: its weight was a fifth of the context's and it moved nothing.
    concentration_depth: int = 10
    coverage_bonus: float = 0.111
    concentration_bonus: float = 0.020
    support_needed: float = 0.971
    # The coverage counted by the gate is scaled down when the question's words weigh less in
    # all than this (about a fifth of one specific word's IDF). Measured (21st session) on the
    # eleven notice sets, the plan sets and DRCD dev: 2.0 turned 这周末大兴下雨吗 into a decline
    # and changed nothing else; 4.0 also declined two residents' questions of common words
    # (提意见的时候要不要留名字, 搬家那几天买菜上哪儿买去).
    question_weight_floor: float = 2.0
    # For an asked detail the best sentence lacks, the sentence of its document that holds one
    # is chosen by dense cosine plus this weight times its context coverage.
    detail_pick_coverage: float = 0.1
    # ... and this weight times its focus (the share of the question's words beyond the
    # headings' that it holds): 报名时间为4月20日至4月30日 for 消费者代表的报名时间, not the
    # notice's opening sentence, which gives the hearing's date and repeats the title's words.
    # Measured (18th session): 0.1 and 0.2 gave the same answers, training +1, third +1,
    # seventh +1, ninth +1, no set lost one; DRCD dev in docs/BENCHMARKS.md.
    detail_pick_focus: float = 0.1
    # ... and must be nearly as close to the question as the best sentence (dense cosine at
    # most this much lower), or a question the document does not answer takes any sentence
    # of the right kind from it.
    detail_dense_margin: float = 0.03
    section_dense_margin: float = 0.06
    # ... or it names at least this share of the question's own words (those the headings
    # above it do not supply): 去哪办手续 is answered by the sentence on where 手续 are done.
    detail_focus_needed: float = 0.3
    # A sentence whose context does not name a designator the question names (兴71路, S6线)
    # loses this much of its rank score.
    identifier_penalty: float = 0.5
    # A paragraph this short (characters) under a heading of its own is a list item; the items
    # of such a list are answered together.
    list_item_chars: int = 40
    # A further sentence of the best one's paragraph joins when its score is this close.
    companion_ratio: float = 0.7
    # A clause of a several-clause question that the evidence does not speak to is answered
    # by the answering document's sentence holding at least this weighted share of its words.
    # Measured on the three notice sets (11th session): filling clauses gained four blind-set
    # two-detail questions and lost none; 0.3, 0.5 and 0.7 gave the same answers on every set.
    clause_fill_needed: float = 0.5
    max_answer_passages: int = 3
    max_list_passages: int = 6
    # A list item must score at least this share of the best passage (a passage that merely
    # names the listed kind in passing scores far lower than one about it).
    list_item_ratio: float = 0.5
    # The answering document's sentences beyond the retrieved top are re-ranked too when it has
    # at most this many (a notice; not the plan chapter or a long article): the training notices
    # 156 → 157, the check notices 128 / 37 → 129 / 38, DRCD dev gold 86.9 → 87.0 % (2026-12-05).
    document_sentences: int = 80
    # When the best sentence of a notice holds less than this share of the question's words
    # beyond the notice's subject, the notice's sentence nearest in meaning to the rest of the
    # question leads instead, if nearer than the best by this much (`_refocused`). Set by hand
    # from a prototype on the training and check notices (not swept); kept because training
    # 160 → 162, check 144 → 144, DRCD dev 87.0 → 87.1 % with false answers unchanged.
    refocus_below: float = 0.3
    refocus_margin: float = 0.01
    # A question word a candidate lacks in letters is tested by meaning (meaning.py): the
    # `meaning_terms` most specific such words; lent to the candidate when removing the word
    # from the question lowers the cosine to it by at least `meaning_threshold`.
    meaning_terms: int = 3
    meaning_threshold: float = 0.012
    # Passages offered beside a refusal share at least this much of the question's terms.
    related_coverage: float = 0.3
    max_related: int = 3

    def hold_weight(self, hold: Hold) -> float:
        """What a sentence's hold of an asked kind weighs in its rank (1 when specific)."""
        return {
            Hold.NONE: 0.0,
            Hold.WEAK: self.loose_hold / 2,
            Hold.LOOSE: self.loose_hold,
            Hold.SPECIFIC: 1.0,
        }[hold]

    def support(self, dense: float, coverage: float, concentration: float) -> float:
        """The answerability gate's score of a best sentence (compared with support_needed)."""
        return dense + self.coverage_bonus * coverage + self.concentration_bonus * concentration
