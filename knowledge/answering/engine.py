"""The answer engine: question (and conversation context) in, a cited Reply out.

Answers are extractive: the text is the supporting source sentences, verbatim, each marked with
its citation (render.py writes it). Nothing is paraphrased or generated, so nothing can be
invented. The decision, in the order :meth:`AnswerEngine._decide_on` makes it:

1. retrieve and re-rank candidate sentences by what of the question they hold (``_candidate``);
   the best comes from the document that answers best with its title counted
   (``_document_first``), and may be a sentence of that document below the retrieved top
   (``_best_beyond_top``); a question word the sources never use is tested by its meaning and
   lent to the candidates that carry it (meaning.py: 暖气费 met by 供暖费), then the candidates
   are re-ranked;
2. the answerability gate: does the best sentence speak of the question's subject (policy.py
   holds the fitted numbers and how they were measured);
3. what the sources never name declines (names.py): a name of a known kind (瀛悦家园), the role
   whose holder is asked (园长是谁) or a holder's name (值班律师叫什么名字), the thing a yes/no
   question asks exists or is needed (有皮肤科吗, 需要出示身份证吗), a thing asked about none
   of whose characters the answering document uses (能用洗衣机吗); so do designators and years
   the evidence does not name (兴12路, 2027年), and a local name, an ordinal, a phase or an
   earlier time the answering document never uses (a 清源街道 notice asked about 西红门镇, a 一期
   notice about 二期, 比去年);
4. each kind of detail asked (question.py) must be held by a sentence of the best one's
   document (``_evidence``; the document's only sentence of that kind always may, a sum
   excepted, and the section given to that kind of the subject first), never by one about
   another thing of the kind asked (``_rival``: the next car park of a list) nor by a clause
   putting it off (具体方案另行通知); a list is gathered whole (``_list_items``,
   ``_list_section``, ``_enumeration`` for 请携带以下材料：…);
5. on the subject but with none of the details asked, or asked what of a matter the sources
   only put off: a partial answer.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from knowledge.answering import aliases as alias_tools
from knowledge.answering import meaning, thesaurus
from knowledge.answering import terms as term_tools
from knowledge.answering.names import (
    absent_names,
    absent_past,
    asked_sums,
    local_names,
    names_sum,
    unknown_names,
    unknown_roles,
    unknown_things,
    unnamed_holders,
    unnamed_objects,
    unnamed_periods,
    unnamed_price_change,
    unnamed_refund,
    unnamed_repeat,
    unnamed_replacement,
    unnamed_sums,
)
from knowledge.answering.policy import AnswerPolicy
from knowledge.answering.question import (
    DEFERRING,
    ENUMERATION_MARK,
    Detail,
    Hold,
    QuestionAnalysis,
    absent_compass_points,
    absent_next_round,
    absent_numbered,
    absent_ordinals,
    absent_seasons,
    analyze,
    asked_details,
    asks_for_detail,
    asks_what,
    asks_whether,
    clauses,
    details_beside_list,
    evidence_holds,
    evidence_names,
    gives_reason,
    heading_labels,
    hold_strength,
    labels_kind,
    names_designator,
    puts_off_all,
    ranking_cues,
)
from knowledge.answering.render import PUT_OFF_LABEL, ReplyRenderer
from knowledge.answering.reply import Reply
from knowledge.answering.why import DecisionReason, Gate
from knowledge.chunking import Passage
from knowledge.documents import Document
from knowledge.index.draft import with_documents
from knowledge.index.store import LoadedIndex, Manifest
from knowledge.memo import RecentResults
from knowledge.retrieval import Hit, Retrieval, Retriever
from knowledge.text import fold, normalize, strip_controls, to_simplified

MAX_QUESTION_CHARS = 500
# How many standalone questions' decisions an engine remembers (prefetch; starter questions).
RECENT_DECISIONS = 128
LOG = logging.getLogger(__name__)
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_FOLLOW_UP_LEAD = re.compile(r"^(?:那么|那|还有|另外|然后|再问一下)")


@dataclass(frozen=True)
class ConversationContext:
    """What the dialogue remembers between turns, so "那高速呢？" can be read in context."""

    last_question: str = ""


@dataclass(frozen=True)
class Candidate:
    """A retrieved sentence with what the decision needs to know about it."""

    hit: Hit
    # Per question term: the share of it found in the sentence, its paragraph or headings.
    supports: tuple[float, ...]
    # The same, in the sentence alone.
    sentence_supports: tuple[float, ...]
    # Specificity-weighted share of the question's terms found in the sentence alone, and in
    # the sentence with its paragraph and headings (where the subject is often named).
    sentence_coverage: float
    coverage: float
    # The asked kinds of detail this sentence holds.
    holds: frozenset[Detail]
    # Weighted share of the question's words that the headings above do not already supply,
    # found in the sentence or its own heading.
    focus_coverage: float
    score: float
    # The headings above name every word of the question: the document is about just what was
    # asked, and its sentences differ only in the detail they hold.
    named_by_headings: bool = False
    # How well the sentence's document answers, by this sentence: its rank, and the question's
    # words in it with its paragraph and every heading (the title counts here).
    document_score: float = 0.0
    # The asked kinds it holds in their specific form (a calendar date, an address; see
    # question.hold_strength), not only loosely (冬季, a bare place name).
    specific: frozenset[Detail] = frozenset()

    @property
    def passage(self) -> Passage:
        return self.hit.passage


@dataclass(frozen=True)
class Decision:
    """Why the engine answered or declined: kept for evaluation and logs."""

    kind: str
    reason: str
    evidence: tuple[Candidate, ...] = ()
    related: tuple[Hit, ...] = ()
    ranked: tuple[Candidate, ...] = ()
    missing: tuple[Detail, ...] = ()
    analysis: QuestionAnalysis | None = None
    retrieval: Retrieval | None = field(default=None, repr=False)
    # True when the question was read together with the previous one ("那高速呢？").
    follow_up: bool = False
    # Which check decided, for the staff console (why.py words it in Chinese).
    why: DecisionReason | None = None
    # Words asked about that the sources never use (皮肤科 in 有皮肤科吗, 园长 in 园长是谁): a
    # partial answer names them as what is not written.
    missing_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class _BuildView:
    """What the engine derives once from one index build."""

    build_id: str
    stats: term_tools.TermStats
    by_doc: dict[str, tuple[int, ...]]
    by_section: dict[tuple[str, str], tuple[int, ...]]
    position: dict[str, int]
    # Each document's words (title, headings, sentences), folded: what names it uses.
    doc_text: dict[str, str]
    # Each document's title and headings, folded: what it is about.
    doc_headings: dict[str, str]
    # The build's passages (what the indices above point into).
    passages: Sequence[Passage] = ()
    _scope: dict[str, str] = field(default_factory=dict)
    _preamble: dict[str, frozenset[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, build_id: str, passages: Sequence[Passage]) -> _BuildView:
        by_doc: dict[str, list[int]] = {}
        by_section: dict[tuple[str, str], list[int]] = {}
        for i, passage in enumerate(passages):
            by_doc.setdefault(passage.doc_id, []).append(i)
            by_section.setdefault((passage.doc_id, passage.section_anchor), []).append(i)
        # Headings are words of the sources too (三、需携带材料 names 材料 once for its items).
        headings = dict.fromkeys(h for p in passages for h in p.section_path)
        doc_text = {
            doc: fold(
                "\n".join(dict.fromkeys(h for i in rows for h in passages[i].section_path))
                + "\n"
                + "\n".join(passages[i].text for i in rows)
            )
            for doc, rows in by_doc.items()
        }
        doc_headings = {
            doc: fold("\n".join(dict.fromkeys(h for i in rows for h in passages[i].section_path)))
            for doc, rows in by_doc.items()
        }
        return cls(
            build_id,
            term_tools.TermStats([*(p.text for p in passages), *headings]),
            {k: tuple(v) for k, v in by_doc.items()},
            {k: tuple(v) for k, v in by_section.items()},
            {p.passage_id: i for i, p in enumerate(passages)},
            doc_text,
            doc_headings,
            passages,
        )

    def preamble(self, doc_id: str) -> frozenset[int]:
        """The paragraphs that open a document before what it says: the line it is addressed
        to (各位回迁安置户：), and in a sectioned notice the paragraph before its first heading
        that says what the notice is about (a document without headings is body throughout)."""
        found = self._preamble.get(doc_id)
        if found is None:
            rows = [self.passages[i] for i in self.by_doc.get(doc_id, ())]
            opening = [p for p in rows if len(p.section_path) == 1]
            addressed = bool(opening) and _addresses_readers(opening[0])
            out = {opening[0].paragraph_index} if addressed else set()
            if len(opening) < len(rows):
                body = [p for p in opening if not _addresses_readers(p)]
                if body:
                    out |= {
                        p.paragraph_index
                        for p in opening
                        if p.paragraph_index <= body[0].paragraph_index
                    }
            found = self._preamble[doc_id] = frozenset(out)
        return found

    def scope_names(self, doc_id: str) -> str:
        """The local names a notice's opening lists as its scope (对康庄社区、兴政社区、滨河西里社区
        开展检查): like its title, they say which notice, not which sentence."""
        found = self._scope.get(doc_id)
        if found is None:
            found = ""
            for i in self.by_doc.get(doc_id, ())[:3]:
                listed = [n for n, _ in local_names(self.passages[i].text)]
                if len(listed) >= 2:
                    found = "".join(listed)
                    break
            self._scope[doc_id] = found
        return found

    def doc_known(self, doc_id: str) -> Callable[[str], bool]:
        """Whether one document uses a word (its title, headings and sentences)."""
        text = self.doc_text.get(doc_id, "")
        return lambda term: bool(term) and term in text


# What a bare engine names (tests, benchmarks); the assistant passes its configured contact
# (planbot.settings.ContactSettings, PLANBOT_HOTLINE / PLANBOT_CONTACT) through the runtime.
DEFAULT_HOTLINE = "12345"
DEFAULT_CONTACT = "北京12345市民服务热线"


class AnswerEngine:
    def __init__(
        self,
        retriever: Retriever,
        *,
        hotline: str = DEFAULT_HOTLINE,
        contact: str = DEFAULT_CONTACT,
        policy: AnswerPolicy | None = None,
    ) -> None:
        self._retriever = retriever
        self._hotline = hotline
        self._contact = contact
        self.policy = policy or AnswerPolicy()
        self._build_view: _BuildView | None = None
        self._renderer = ReplyRenderer(hotline=hotline, contact=contact)
        self._aliases = alias_tools.EMPTY
        # The last standalone questions' decisions, each made once (prefetch below).
        self._recent: RecentResults[tuple[Decision, Reply]] = RecentResults(RECENT_DECISIONS)

    def warm_up(self) -> None:
        """Load the embedding model and the segmenter before the first question arrives."""
        self._retriever.warm_up()
        term_tools.warm_up()

    # -- staff aliases (aliases.py) ---------------------------------------------------------

    @property
    def aliases(self) -> alias_tools.AliasOverlay:
        return self._aliases

    def set_aliases(self, overlay: alias_tools.AliasOverlay) -> None:
        """Serve these aliases from now on: phrases are embedded here (vectors of phrases
        already held are reused), then the overlay reference is swapped in one assignment, so
        a question being answered sees the old overlay or the new one, never a mix."""
        known = self._aliases
        held = {}
        if known.vectors is not None:
            held = {p.phrase: known.vectors[i] for i, p in enumerate(known.phrases)}
        todo = [p.phrase for p in overlay.phrases if p.phrase not in held]
        if todo:
            held.update(zip(todo, self._retriever.embed_queries(todo), strict=True))
        if overlay.phrases:
            overlay = overlay.with_vectors(
                np.stack([held[p.phrase] for p in overlay.phrases]).astype(np.float32)
            )
        thesaurus.set_staff_synonyms(overlay.synonym_map())
        self._aliases = overlay
        self._recent.clear()  # decisions made with the old aliases

    def with_index(self, index: LoadedIndex) -> AnswerEngine:
        """An engine like this one (model, policy, aliases) over another index: the staff
        console's "if this draft were published" view, which never touches the live index."""
        other = AnswerEngine(
            self._retriever.over(index),
            hotline=self._hotline,
            contact=self._contact,
            policy=self.policy,
        )
        other._aliases = self._aliases
        return other

    def with_documents(self, documents: Sequence[Document]) -> AnswerEngine:
        """This engine as if ``documents`` were published (an in-memory index; draft.py)."""
        return self.with_index(with_documents(self.index, documents, self._retriever.embedder))

    # -- public -------------------------------------------------------------------------------

    def answer(self, question: str, context: ConversationContext | None = None) -> Reply:
        return self.decide_and_reply(question, context)[1]

    def decide_and_reply(
        self, question: str, context: ConversationContext | None = None
    ) -> tuple[Decision, Reply]:
        cleaned = strip_controls(question).strip()
        if not cleaned:
            why = DecisionReason(Gate.EMPTY_QUESTION)
            return Decision("error", "empty question", why=why), Reply(
                kind="error", text="请输入您想了解的问题。"
            )
        cleaned = to_simplified(cleaned[:MAX_QUESTION_CHARS])
        if context is not None and context.last_question:
            decision = self.decide(cleaned, context)
            return decision, self._renderer.render(decision)
        # A standalone question's decision depends only on the text, the index build, the
        # policy and the aliases (a change of aliases empties the memo).
        key = (cleaned, self._retriever.index.manifest.build_id, self.policy)
        decision, reply = self._recent.get(key, lambda: self._decide_and_render(cleaned))
        return decision, reply.model_copy(deep=True)  # callers may adjust their reply

    def prefetch(self, question: str) -> None:
        """Decide a message before anyone asks (the web app calls it while Rasa reads the
        message): the answering action then finds the decision made, or waits for the one
        being made, instead of deciding again. A message that is no question costs one
        decision of CPU time, never a different answer. Never raises."""
        try:
            self.decide_and_reply(question)
        except Exception:  # the action will decide itself and report what went wrong
            LOG.debug("prefetching a decision failed", exc_info=True)

    def _decide_and_render(self, cleaned: str) -> tuple[Decision, Reply]:
        decision = self.decide(cleaned)
        return decision, self._renderer.render(decision)

    def search(self, query: str, k: int) -> list[Hit]:
        """The ``k`` passages nearest the query by fused rank (what /api/search shows)."""
        return self.retrieve(query).top(k)

    def retrieve(self, query: str) -> Retrieval:
        """Every passage's scores for a query, as a question is retrieved (for benchmarks and
        the staff console's "why")."""
        cleaned = to_simplified(strip_controls(query))
        terms = term_tools.content_terms(cleaned, known=self._term_stats().known)
        return self._retriever.retrieve(cleaned, also_written=self._term_stats().as_written(terms))

    @property
    def index(self) -> LoadedIndex:
        """The build being served now."""
        return self._retriever.index

    @property
    def manifest(self) -> Manifest:
        """What the index was built from, and when."""
        return self._retriever.index.manifest

    def document_passages(self, doc_id: str) -> list[Passage]:
        """A document's passages in reading order, for showing the source itself."""
        return [p for p in self._retriever.index.passages if p.doc_id == doc_id]

    # -- deciding -----------------------------------------------------------------------------

    def decide(self, question: str, context: ConversationContext | None = None) -> Decision:
        analysis = analyze(question)
        if not _HAS_CJK.search(question):
            # The model's cross-lingual scores are too weak to answer other languages reliably
            # (measured: English questions score 0.72-0.79 whether on topic or not).
            return Decision(
                "no_answer",
                "not a Chinese question",
                analysis=analysis,
                why=DecisionReason(Gate.NOT_CHINESE),
            )
        query = question
        terms = own_terms = term_tools.content_terms(
            _FOLLOW_UP_LEAD.sub("", question), known=self._term_stats().known
        )
        follow_up = bool(context and context.last_question and _is_elliptical(analysis, terms))
        if context and follow_up:
            previous = analyze(context.last_question)
            query = f"{context.last_question} {question}"
            analysis = _carry_over(analysis, previous, head="".join(terms))
            terms = terms + [
                t for t in term_tools.content_terms(context.last_question) if t not in terms
            ]
        also_written = self._term_stats().as_written(own_terms)
        retrieval = self._with_aliases(
            question, self._retriever.retrieve(query, also_written=also_written)
        )
        if not retrieval.passages:
            why = DecisionReason(Gate.EMPTY_INDEX)
            return Decision("no_answer", "the knowledge base is empty", analysis=analysis, why=why)
        decision = self._decide_on(retrieval, analysis, terms, own_terms)
        reason = decision.why and dataclasses.replace(
            decision.why, follow_up=follow_up, aliases=tuple(dict.fromkeys(retrieval.lent.values()))
        )
        return dataclasses.replace(decision, follow_up=follow_up, why=reason)

    def _with_aliases(self, question: str, retrieval: Retrieval) -> Retrieval:
        """The retrieval with passages staff linked to the question's phrasing lifted to the
        top, and the phrase's words lent to them (aliases.py)."""
        overlay = self._aliases
        matches = overlay.matches(question, retrieval.vector) if overlay.phrases else []
        if not matches:
            return retrieval
        lift, fused = alias_tools.boost(matches, retrieval.passages, retrieval.fused)
        if not lift.dense:
            return retrieval
        dense = retrieval.dense.copy()
        for i, sim in lift.dense.items():
            dense[i] = max(float(dense[i]), sim)
        return dataclasses.replace(retrieval, dense=dense, fused=fused, lent=lift.lent)

    def _decide_on(
        self,
        retrieval: Retrieval,
        analysis: QuestionAnalysis,
        terms: list[str],
        own_terms: list[str],
    ) -> Decision:
        """Answer when the evidence names the question's subject and holds what was asked.

        1. Topic: the best sentence must be near the question at all (dense floor).
        2. Subject: no name of a known kind that the sources never use (another estate, another
           railway); some content word found; then the fitted gate on the best sentence's
           dense cosine, its specificity-weighted coverage of the question's words (sentence,
           paragraph, headings) and how much of the top crowds in its document.
        3. Detail: each kind asked (a date and a place, say) must be held by a sentence of the
           best one's document, searched across the whole document; two details may come from
           two sentences. Designators the question names (兴71路) must be named.
        On the subject with none of the details asked: a partial answer (what the sources say,
        quoted, and what they do not).
        """
        p = self.policy
        depth = p.list_depth if analysis.is_list else p.rerank_depth
        candidates = self._rerank(retrieval, analysis, terms, depth)
        # Words staff aliases lend (explicit), apart from those the meaning test lends (a guess).
        lent_by_staff = retrieval.lent
        by_meaning = self._lent_by_meaning(retrieval, candidates, terms)
        if by_meaning:
            lent = dict(retrieval.lent)
            for pid, words in by_meaning.items():
                lent[pid] = f"{lent[pid]} {words}" if pid in lent else words
            retrieval = dataclasses.replace(retrieval, lent=lent)
            candidates = self._rerank(retrieval, analysis, terms, depth)
        best = candidates[0]
        nearby = tuple(
            c.hit for c in candidates[: p.max_related] if c.coverage >= p.related_coverage
        )

        def decline(
            reason: str,
            why: DecisionReason,
            missing: Sequence[Detail] = (),
            related: tuple[Hit, ...] = nearby,
            evidence: tuple[Candidate, ...] = (),
        ) -> Decision:
            return Decision(
                "no_answer",
                reason,
                evidence,
                related,
                tuple(candidates),
                tuple(missing),
                analysis,
                retrieval,
                why=why,
            )

        if best.hit.dense < p.dense_floor:
            return decline(
                f"best passage is off topic (dense {best.hit.dense:.3f})",
                DecisionReason(Gate.OFF_TOPIC, dense=best.hit.dense, needed=p.dense_floor),
                related=(),
            )
        unknown = unknown_names(analysis.text, self._term_stats())
        if unknown:
            return decline(
                f"the sources never name {'、'.join(unknown)}",
                DecisionReason(Gate.UNKNOWN_NAME, names=tuple(unknown)),
            )
        if terms and not any(s >= p.term_found for s in best.supports):
            return decline(
                "no content term of the question occurs in the evidence",
                DecisionReason(Gate.NO_TERM),
                related=(),
            )
        focus = _concentration(candidates, p.concentration_depth)
        # A question whose words weigh almost nothing (这周末大兴下雨吗: 下雨 is no word of the
        # sources, 周末 a common one) is not covered by a sentence that holds them all.
        weights = self._term_stats().weights(terms)
        kinds_in_document = self._kinds_held_in_document(best, analysis, retrieval.passages)
        covered = max(
            _clauses_coverage(candidates, analysis, terms, weights, p),
            _coverage_with_asked_given(best, analysis, terms, weights, kinds_in_document),
        )
        covered *= min(1.0, sum(weights) / p.question_weight_floor)
        support = p.support(best.hit.dense, covered, focus)
        if support < p.support_needed:
            return decline(
                f"the evidence does not speak of the question's subject (support {support:.3f}: "
                f"coverage {best.coverage:.2f}, one document {focus:.2f}, "
                f"dense {best.hit.dense:.3f})",
                DecisionReason(
                    Gate.LOW_SUPPORT,
                    dense=best.hit.dense,
                    coverage=best.coverage,
                    support=support,
                    needed=p.support_needed,
                ),
            )

        # On the subject, asking for someone or something the sources never name (园长是谁,
        # 有皮肤科吗): say what they do say, and that this is not written.
        # Only staff's aliases vouch for a thing asked to exist: that a question word is near a
        # sentence in meaning (校车 near 学校综合楼) does not say the thing is there.
        lent_here = lent_by_staff.get(best.passage.passage_id, "").split()
        in_document = self._view().doc_known(best.passage.doc_id)
        doc_text = self._view().doc_text[best.passage.doc_id]
        absent = unknown_roles(analysis.text, self._term_stats()) + [
            t
            for t in unknown_things(analysis.text, self._term_stats(), known=in_document)
            if t not in lent_here
        ]
        if Detail.AMOUNT in analysis.details:
            absent += [t for t in unnamed_sums(analysis.text, doc_text) if t not in lent_here]
        if analysis.details & {Detail.DURATION, Detail.DATE}:
            absent += unnamed_periods(analysis.text, doc_text)
        absent += unnamed_replacement(analysis.text, doc_text)
        absent += unnamed_refund(analysis.text, doc_text)
        absent += unnamed_price_change(analysis.text, doc_text)
        absent += unnamed_repeat(analysis.text, doc_text)
        absent += unnamed_holders(analysis.text, doc_text)
        # A thing asked about that the document never speaks of (能用洗衣机洗衣服吗): unless a
        # staff alias or the meaning test lent the word, or it weighs nothing in the sources.
        lent_anywhere = {w for words in by_meaning.values() for w in words.split()}
        absent += [
            t
            for t in unnamed_objects(analysis.text, doc_text)
            if t not in lent_here
            and t not in lent_anywhere
            and t not in absent
            # (A noun of one character weighs nothing as a word of the sources; names.py has
            # already found it specific in general Chinese.)
            and (len(t) == 1 or self._term_stats().weight(t) > 0)
        ]
        absent += [t for t in self._unlisted(best, analysis, doc_text) if t not in lent_here]
        # What a whether-question asks of that the document never speaks of, though other
        # documents do (医保能报销吗 of a notice that gives the vaccine's price).
        absent += [
            t
            for t in self._whether_words_elsewhere(analysis, terms, doc_text)
            if t not in lent_here and t not in lent_anywhere and t not in absent
        ]

        def lacking(reason: str, gate: Gate, words: Sequence[str], said: Candidate) -> Decision:
            """A partial answer: ``said`` quoted, and the words the sources lack named."""
            why = DecisionReason(gate, names=tuple(words))
            return dataclasses.replace(
                decline(f"{reason} {'、'.join(words)}", why, evidence=(said,)),
                missing_words=tuple(words),
            )

        # (Quoted: what the sources say nearest the question, not whom they address.)
        said = next((c for c in candidates if not _addresses_readers(c.passage)), best)
        if absent:
            return lacking("the sources never name", Gate.UNKNOWN_NAME, absent, said)
        gaps = self._opening_gaps(best, analysis, terms)
        if gaps:
            return lacking(
                "only the notice's opening speaks of it, without", Gate.OPENING_ONLY, gaps, said
            )
        if analysis.is_list:
            # Best match first: the passage that is about the listed kind, then those that
            # name it too; or, when the best one opens a list, its items.
            opened = self._opened_list(best, retrieval, analysis, terms, continued=False)
            section = [] if opened else self._list_section(best)
            if opened:
                evidence = [best, *opened][: p.max_list_passages]
            elif section:
                # The best passage is an item of a list under a heading of its own (二、所需材料
                # > （四）…另需提供结婚证): the list is its section's items, not one of them.
                evidence = section[: p.max_list_passages]
            else:
                evidence = self._list_items(candidates, analysis, terms, own_terms)
                # One of them opens the list itself (报名须提供以下材料原件及复印件：): its items;
                # not the notice's own lead-in (现将有关事项通知如下：), which opens the notice.
                items = self._enumeration(evidence, after_lead_in=False)
                evidence = (evidence + items)[: p.max_list_passages]
            # A list asked beside a detail (哪些家庭会收到通知，多少天内要签合同): the sentence
            # holding the detail joins the list's items. (设在哪几个镇 asks only the list.)
            unheld = [
                d
                for d in details_beside_list(analysis.text)
                if d in analysis.details and not any(d in c.holds for c in evidence)
            ]
            if unheld:
                evidence += [
                    c
                    for c in self._evidence(candidates, analysis, retrieval, terms)
                    if any(d in c.holds for d in unheld)
                ]
        else:
            # A passage staff linked to the question's words answers as linked.
            linked = candidates[0].passage.passage_id in lent_by_staff
            lead = None if linked else self._refocused(retrieval, candidates, analysis, terms)
            ranked = list(candidates)
            if lead is not None:
                ranked = [
                    lead,
                    *(c for c in ranked if c.passage.passage_id != lead.passage.passage_id),
                ]
            # In the order the source gives them (a document's sentences read in sequence).
            evidence = sorted(
                self._evidence(ranked, analysis, retrieval, terms),
                key=lambda c: (
                    c.passage.doc_id,
                    c.passage.paragraph_index,
                    c.passage.sentence_index,
                ),
            )
        evidence = _each_passage_once(evidence)
        # What is asked (都开些啥课) of a matter the sources only say will be told later.
        if (
            not analysis.details
            and not analysis.whether
            and asks_what(analysis.text)
            and all(puts_off_all(c.passage.text) for c in evidence)
        ):
            return lacking("the sources put off", Gate.MISSING_DETAIL, [PUT_OFF_LABEL], best)
        evidence += self._clause_fills(best, evidence, analysis, retrieval, terms)
        unnamed = [
            i
            for i in analysis.identifiers
            if not any(
                names_designator(
                    i,
                    analysis.text,
                    c.passage.text + c.passage.paragraph_text,
                    c.passage.section_path,
                )
                for c in evidence
            )
        ]
        # A name the answering document never uses is another place or body of its kind (a
        # notice for 清源街道 does not answer for 西红门镇, which other sources may name).
        unnamed += absent_names(analysis.text, doc_text)
        unnamed += absent_ordinals(analysis.text, doc_text)
        unnamed += absent_numbered(analysis.text, doc_text)
        unnamed += absent_compass_points(analysis.text, doc_text)
        unnamed += absent_seasons(analysis.text, doc_text)
        unnamed += absent_next_round(analysis.text, doc_text)
        unnamed += absent_past(analysis.text, doc_text)
        if unnamed:
            return decline(
                f"the evidence does not name {', '.join(unnamed)}",
                DecisionReason(Gate.UNNAMED_IDENTIFIER, names=tuple(unnamed)),
            )
        # An amount is held for a sum the question names (优待金, 月租) only where that sum is
        # named: 本专科生每人每年最高不超过16000元 is a tuition refund's, not the allowance's.
        sums = asked_sums(analysis.text) if Detail.AMOUNT in analysis.details else ()
        held = frozenset().union(
            *(
                _held_for(c, sums, self._list_opener_text(c.passage) if sums else "")
                - _group_totals(c, analysis.text)
                for c in evidence
                if not self._rival(c, analysis)
            )
        )
        # The evidence says the time of the thing asked will be announced later: the dates it
        # gives are other things' (the move away, not the return).
        held -= _put_off([c.passage for c in evidence], analysis.text)
        missing = [d for d in sorted(analysis.details) if d not in held]
        if missing and len(missing) == len(analysis.details):
            # On the subject, without the detail: say what the sources do say.
            return decline(
                "the evidence lacks the detail asked for",
                DecisionReason(Gate.MISSING_DETAIL, missing=tuple(missing)),
                missing,
                evidence=(best,),
            )
        evidence = self._with_list_openers(evidence, analysis, retrieval, terms)
        return Decision(
            "answer",
            "supported" if not missing else "supported in part",
            tuple(evidence),
            nearby,
            tuple(candidates),
            tuple(missing),
            analysis,
            retrieval,
            why=DecisionReason(
                Gate.ANSWERED_IN_PART if missing else Gate.ANSWERED,
                missing=tuple(missing),
                dense=best.hit.dense,
                coverage=best.coverage,
                support=support,
                needed=p.support_needed,
            ),
        )

    def _rerank(
        self,
        retrieval: Retrieval,
        analysis: QuestionAnalysis,
        terms: Sequence[str],
        depth: int,
    ) -> list[Candidate]:
        """Re-rank the fused top candidates by what of the question they hold.

        Rank fusion treats a passage that shares one rare word with the question like one that
        shares all of them. Coverage of the question's terms, weighted by specificity, breaks
        those ties: mostly in the sentence itself (a document title covers every sentence under
        it, so headings alone must not lift the first sentence of a document), partly in its
        paragraph and headings. A sentence that holds the kind of detail asked ranks higher.
        Which document answers is judged with its title counted (``_document_first``), and a
        short document's other sentences are scored too (``_best_beyond_top``).
        """
        hits = [h for h in retrieval.top(depth + 5) if not _never_first(h.passage.text, analysis)][
            :depth
        ]
        hits = hits or retrieval.top(depth)
        top_fused = hits[0].fused or 1.0
        weights = self._view().stats.weights(terms)
        lent = retrieval.lent
        out = [self._candidate(hit, analysis, terms, weights, top_fused, lent) for hit in hits]
        out.sort(key=lambda c: -c.score)
        out = _document_first(out)
        deeper = self._best_beyond_top(out, retrieval, analysis, terms, weights, top_fused)
        return [deeper, *out] if deeper else out

    def _best_beyond_top(
        self,
        ranked: Sequence[Candidate],
        retrieval: Retrieval,
        analysis: QuestionAnalysis,
        terms: Sequence[str],
        weights: Sequence[float],
        top_fused: float,
    ) -> Candidate | None:
        """A sentence of the answering document that retrieval ranked below the top but the
        re-ranking puts above its best (乘车路线：乘坐兴31路… for 坐公交怎么去, when the notice's
        other sentences share more of the question's words). Only for a document of at most
        ``policy.document_sentences`` sentences: a notice, not a whole plan or article."""
        if not ranked or retrieval.passages is not self._retriever.index.passages:
            return None  # a new build landed while this question was read
        rows = self._view().by_doc.get(ranked[0].passage.doc_id, ())
        if len(rows) > self.policy.document_sentences:
            return None
        seen = {c.passage.passage_id for c in ranked}
        # Only a sentence holding one of the question's words itself (or lent it by an alias)
        # can outrank the top on them: a substring test before the full scoring.
        words = [t for t, w in zip(terms, weights, strict=True) if w > 0]
        # (Each word with its other forms, flat, looked up once: a loop over every sentence.)
        forms = [f for t in words for f in (t, *term_tools.written_forms(t))]
        passages, lent = retrieval.passages, retrieval.lent

        def holds_a_word(i: int) -> bool:
            text = fold(passages[i].text) + lent.get(passages[i].passage_id, "")
            for form in forms:  # noqa: SIM110 (cheaper than any() over a generator)
                if form in text:
                    return True
            return False

        beyond = [
            self._candidate(retrieval.hit(i), analysis, terms, weights, top_fused, lent)
            for i in rows
            if passages[i].passage_id not in seen
            and not _never_first(passages[i].text, analysis)
            and holds_a_word(i)
        ]
        best = max(beyond, key=lambda c: c.score, default=None)
        return best if best is not None and best.score > ranked[0].score else None

    def _refocused(
        self,
        retrieval: Retrieval,
        candidates: Sequence[Candidate],
        analysis: QuestionAnalysis,
        terms: Sequence[str],
    ) -> Candidate | None:
        """The answering notice's sentence nearest in meaning to what the question asks about
        it, when the best sentence repeats little of that (a resident's 吃顿饭得花多少钱 against
        其他居民可按每份22元的价格就餐, while the notice's opening names the canteen).

        The question's words that the document's headings hold (its subject: the canteen, the
        town) are left out, the rest is embedded, and the document's sentences (those holding
        the kind of detail asked, if any) are compared with it: the nearest leads the evidence
        when it is nearer than the best sentence by ``policy.refocus_margin``. Only when the
        best sentence covers less than ``policy.refocus_below`` of those words, and only in a
        document of at most ``policy.document_sentences`` sentences (a notice)."""
        p = self.policy
        best = candidates[0]
        index = self._retriever.index
        if (
            analysis.is_list
            or best.focus_coverage >= p.refocus_below
            or retrieval.passages is not index.passages
            # Why was asked, and the best sentence says why (为保障冬季供电安全，…进行检修); or
            # what a check covers, and it says that (检查内容包括…).
            or _gives_every_cue(analysis, best.passage.text)
        ):
            return None
        view = self._view()
        rows = view.by_doc.get(best.passage.doc_id, ())
        if len(rows) > p.document_sentences:
            return None
        headings = view.doc_headings.get(best.passage.doc_id, "")
        subject = {
            t
            for t in terms
            if _CJK_WORD.fullmatch(t) and term_tools.term_support(t, headings) >= p.term_found
        }
        asked = "".join(
            w for w in term_tools.segmenter().lcut(fold(analysis.text)) if w not in subject
        )
        # Only an interrogative left (的定在哪一天): no meaning to be nearer to.
        if len(asked) < 3 or all(asks_for_detail(t) for t in term_tools.content_terms(asked)):
            return None
        passages = index.passages
        pool = [
            i
            for i in rows
            if len(passages[i].text) > 8
            and not _boilerplate(passages[i].text)
            and (
                not analysis.details
                or any(
                    evidence_holds(
                        d, passages[i].text, heading=_own_heading(passages[i]), asked=analysis
                    )
                    for d in analysis.details
                )
            )
        ]
        if not pool:
            return None
        vector = self._retriever.embed_queries([asked])[0]
        near = index.embeddings[pool] @ vector
        at = int(np.argmax(near))
        here = view.position[best.passage.passage_id]
        if pool[at] == here or float(near[at]) < float(index.embeddings[here] @ vector) + (
            p.refocus_margin
        ):
            return None
        # The best sentence gives the kind of detail asked under a heading naming a word of the
        # question (五、报名方式 > 2027年6月21日9:00起… for 什么时候开始报名), and what is left of
        # the question is common words (什么时候开始): a sentence of a section whose heading names
        # none of them (一、活动时间) does not take its place. (老二的保教费咋收 leaves 老二.)
        if (
            any(d in best.holds for d in analysis.details)
            and _heading_names(best.passage, terms)
            and not _heading_names(passages[pool[at]], terms)
            and not _names_specific_words(asked)
        ):
            return None
        weights = view.stats.weights(terms)
        top_fused = float(retrieval.fused.max()) or 1.0
        return self._candidate(
            retrieval.hit(pool[at]), analysis, terms, weights, top_fused, retrieval.lent
        )

    def _candidate(
        self,
        hit: Hit,
        analysis: QuestionAnalysis,
        terms: Sequence[str],
        weights: Sequence[float],
        top_fused: float,
        lent: Mapping[str, str] | None = None,
    ) -> Candidate:
        p = self.policy
        passage = hit.passage
        headings = "".join(passage.section_path)
        # Words a staff alias lends this passage count as its own for the lexical checks
        # (never for the detail checks below, which read the passage alone).
        alias = (lent or {}).get(passage.passage_id, "")
        # The names a notice's opening lists as its scope stand beside its headings.
        scope = self._view().scope_names(passage.doc_id)
        context = (passage.text, passage.paragraph_text, headings, scope, alias)
        supports = tuple(term_tools.coverage(terms, *context))
        own = term_tools.coverage(terms, passage.text, alias)
        cov = _weighted(weights, supports)
        sentence_cov = _weighted(weights, own)
        # The sentence's own heading belongs to it (三、需携带材料 > 购房合同原件); the headings
        # above it are shared by every sentence under them, so the words they supply do not
        # rank one sentence over another (the title names the estate; the sentence must say
        # when the keys are handed over).
        local = _own_heading(passage)
        shared = passage.section_path[:-1] if local else passage.section_path
        given = term_tools.coverage(terms, "".join(shared), scope)
        focus = [w if g < p.term_found else 0.0 for w, g in zip(weights, given, strict=True)]
        mine = term_tools.coverage(terms, local, passage.text, alias)
        # When the headings above supply every word, no sentence is more on topic than another
        # by its words: the rank is left to retrieval and to the detail it holds.
        focus_cov = _weighted(focus, mine)
        # (Interrogatives such as 几点 are no subject: they say what is asked.)
        named_by_headings = sum(weights) > 0 and not any(
            f for f, t in zip(focus, terms, strict=True) if not asks_for_detail(t)
        )
        strengths = {
            d: hold_strength(d, passage.text, heading=local, asked=analysis)
            for d in analysis.details
        }
        holds = frozenset(d for d, s in strengths.items() if s > Hold.NONE)
        # A kind held specifically (a calendar date, an address) counts fully; loosely, less.
        held = [p.hold_weight(s) for s in strengths.values()]
        held += [1.0 if given else 0.0 for given in ranking_cues(analysis, local + passage.text)]
        held_share = sum(held) / len(held) if held else 0.0
        score = (
            hit.fused / top_fused
            + p.coverage_weight * focus_cov
            + p.context_weight * cov
            + p.detail_weight * held_share * cov
        )
        document_score = hit.fused / top_fused + (p.coverage_weight + p.context_weight) * cov
        # 兴71路 asked: a sentence that is not about it loses rank (under 一、兴58路 in a notice
        # on both lines, though the title names 兴71路); its document, only when nothing above
        # or in it names 兴71路 (which document answers is judged with the title counted).
        named = passage.text + passage.paragraph_text
        if any(
            not names_designator(i, analysis.text, named, passage.section_path)
            for i in analysis.identifiers
        ):
            score -= p.identifier_penalty
        if any(not evidence_names(i, named + headings) for i in analysis.identifiers):
            document_score -= p.identifier_penalty
        return Candidate(
            hit,
            supports,
            tuple(own),
            sentence_cov,
            cov,
            holds,
            focus_cov,
            score,
            named_by_headings,
            document_score,
            frozenset(d for d, s in strengths.items() if s is Hold.SPECIFIC),
        )

    def _kinds_held_in_document(
        self, best: Candidate, analysis: QuestionAnalysis, passages: Sequence[Passage]
    ) -> frozenset[Detail]:
        """The kinds the best sentence holds specifically, and the other kinds asked that a
        sentence of its document holds under a heading or a label naming the kind (六、联系方式
        > 区体育局群体科：010-69241752; 办理时间：…): the notice gives that kind its own place,
        which serves all it says. Read only when the best sentence lacks one (a regex per
        sentence of one document). (Any sentence holding the kind is not enough: a history's
        every paragraph holds a year.)"""
        wanted = analysis.details - best.specific
        if not wanted or analysis.whether:
            # (A whether-question's 地址 is a thing asked of, 更换身份证上的地址吗, not the ask.)
            return best.specific
        held = set(best.specific)
        for i in self._view().by_doc.get(best.passage.doc_id, ()):
            passage = passages[i]
            heading = _own_heading(passage)
            for detail in wanted - held:
                if (
                    heading_labels(detail, heading, analysis)
                    or labels_kind(passage.text, frozenset((detail,)))
                ) and evidence_holds(detail, passage.text, heading=heading, asked=analysis):
                    held.add(detail)
        return frozenset(held)

    def _lent_by_meaning(
        self, retrieval: Retrieval, candidates: Sequence[Candidate], terms: Sequence[str]
    ) -> Mapping[str, str]:
        """Question words the candidates lack in letters but carry in meaning (meaning.py)."""
        p = self.policy
        index = self._retriever.index
        if (
            p.meaning_terms <= 0
            or retrieval.vector is None
            or retrieval.passages is not index.passages
        ):
            return {}  # switched off, or a new build landed while this question was read
        absent = meaning.absent_terms(
            terms,
            self._view().stats.weights(terms),
            [c.supports for c in candidates],
            found=p.term_found,
            askers=asks_for_detail,
            known=self._view().stats.known,
            limit=p.meaning_terms,
        )
        if not absent:
            return {}
        position = self._view().position
        rows = [position[c.passage.passage_id] for c in candidates]
        return meaning.lent_by_meaning(
            retrieval.query,
            retrieval.vector,
            absent,
            [c.passage.passage_id for c in candidates],
            index.embeddings[rows],
            self._retriever.embed_queries,
            threshold=p.meaning_threshold,
        )

    def _view(self) -> _BuildView:
        """Per-build lookups (term specificity, passages by document and section), rebuilt
        when a new build lands."""
        index = self._retriever.index
        build = index.manifest.build_id
        if self._build_view is None or self._build_view.build_id != build:
            self._build_view = _BuildView.of(build, index.passages)
        return self._build_view

    def _term_stats(self) -> term_tools.TermStats:
        return self._view().stats

    def _evidence(
        self,
        candidates: Sequence[Candidate],
        analysis: QuestionAnalysis,
        retrieval: Retrieval,
        terms: Sequence[str],
    ) -> list[Candidate]:
        """The best sentence; for each asked detail it lacks, the sentence of its document
        nearest the question that holds one; its list section or paragraph companions."""
        p = self.policy
        best = candidates[0]
        chosen = [best]
        # A kind the best sentence holds only loosely (为保障冬季供电安全 for 哪天停电) is looked
        # for too, and filled only by a sentence that holds it specifically.
        missing = [d for d in sorted(analysis.details) if d not in best.specific]
        if missing:
            weights = self._view().stats.weights(terms)
            top_fused = float(retrieval.fused.max()) or 1.0
            passages = retrieval.passages
            # Only sentences that hold a missing detail can fill it: check that first (a regex)
            # before scoring them as candidates.
            in_doc = [
                self._candidate(
                    retrieval.hit(i), analysis, terms, weights, top_fused, retrieval.lent
                )
                for i in self._view().by_doc.get(best.passage.doc_id, ())
                if any(
                    evidence_holds(
                        d,
                        passages[i].text,
                        heading=_own_heading(passages[i]),
                        asked=analysis,
                    )
                    for d in missing
                )
            ]
            for detail in missing:
                loose = detail in best.holds
                if any((detail in c.specific) if loose else (detail in c.holds) for c in chosen):
                    continue
                # The one sentence of the answering document that holds the kind asked (its one
                # contact line, 咨询电话：…; its one 检查时间为每日上午9:00至12:00) serves
                # everything the document says, however few of the question's words it repeats.
                fills = [
                    c
                    for c in in_doc
                    if detail in (c.specific if loose else c.holds)
                    and not _says_nothing(c.passage.text)
                    and not self._rival(c, analysis)
                ]
                # (A loosely held kind is not filled by the document's one specific holder
                # unless that one is near the question too: 冬季 asked as 哪天停电 must not pull
                # in 请于11月30日前缴费.)
                # (Not a sum: a price or 免费 is said of one thing, 培训免费 not of 申报备案; nor a
                # period: the application window is not how long the payment takes.)
                sole_holder = (
                    len(fills) == 1 and not loose and detail not in (Detail.AMOUNT, Detail.DURATION)
                )
                # Under the heading given to that kind of the subject (一、搬迁时间 for 搬迁办公到
                # 哪天结束: 2026年12月7日至2027年3月5日。), however few words the sentence has.
                asked_words = [t for t in terms if not asks_for_detail(t)]
                headed = [c for c in fills if _headed_for(c.passage, detail, asked_words, analysis)]
                # Or, when only the notice's opening gives the kind, and loosely (举办2027年新春
                # 灯光节 for 灯光节从哪天开始), under the one heading the document gives that kind
                # (一、活动时间), naming the question's words or not.
                if loose and not headed and not _own_heading(best.passage):
                    headed = _under_the_kinds_one_heading(fills, detail, analysis)
                holding = headed or [
                    c
                    for c in fills
                    if sole_holder
                    or c.hit.dense >= best.hit.dense - self._margin(c, best)
                    or c.focus_coverage >= p.detail_focus_needed
                    or c.named_by_headings
                ]
                # A sentence holding it specifically first (an address before 1号楼至4号楼).
                holding = [c for c in holding if detail in c.specific] or holding
                # ... and one giving the most of what the question's readings look for (the new
                # address for 搬到哪儿去了, not the old one; the days for 周末来不来; each clause of
                # 搬去哪了？工作日几点看病？ has its own).
                if holding:
                    cues = [
                        sum(ranking_cues(analysis, _own_heading(c.passage) + c.passage.text))
                        for c in holding
                    ]
                    holding = [c for c, n in zip(holding, cues, strict=True) if n == max(cues)]
                if holding:
                    pick = max(
                        holding,
                        key=lambda c: (
                            c.hit.dense
                            + p.detail_pick_coverage * c.coverage
                            + p.detail_pick_focus * c.focus_coverage
                        ),
                    )
                    # With the start of the statement it ends (停水时间 > 4月8日…。如遇降雨…).
                    for c in [*self._statement_start(pick, retrieval, analysis, terms), pick]:
                        if all(c.passage.passage_id != o.passage.passage_id for o in chosen):
                            chosen.append(c)
        if Detail.PROCEDURE in analysis.details:
            items = self._enumeration(chosen) or self._labelled_paragraph(best, analysis)
            if items:
                return (chosen + items)[: p.max_list_passages]
        items = self._opened_list(best, retrieval, analysis, terms)
        if items:
            return (chosen + items)[: p.max_list_passages]
        section = self._list_section(best)
        if section:
            extra = [c for c in section if c.passage.passage_id != best.passage.passage_id]
            return (chosen + extra)[: p.max_list_passages]
        same_doc = [c for c in candidates[1:] if c.passage.doc_id == best.passage.doc_id]
        found = [i for i, s in enumerate(best.sentence_supports) if s >= p.term_found]
        for cand in same_doc:
            if len(chosen) >= p.max_answer_passages:
                break
            if (
                any(c.passage.passage_id == cand.passage.passage_id for c in chosen)
                or cand.passage.paragraph_index != best.passage.paragraph_index
            ):
                continue
            shares = any(s >= p.term_found for s in cand.sentence_supports)
            close = shares and cand.score >= p.companion_ratio * best.score
            covers = bool(found) and all(
                cand.sentence_supports[i] >= best.sentence_supports[i] for i in found
            )
            if close or covers:
                chosen.append(cand)
        chosen = chosen[: max(p.max_answer_passages, len(analysis.details))]
        # A companion that opens a list (线下申请需携带以下材料：) says nothing without its items.
        opener = next((c for c in chosen[1:] if _ENDS_IN_COLON.search(c.passage.text)), None)
        if opener is not None:
            items = self._opened_list(opener, retrieval, analysis, terms, continued=False)
            if items:
                return (chosen + items)[: p.max_list_passages]
        return chosen + [
            c
            for c in self._statement_start(best, retrieval, analysis, terms)
            if all(c.passage.passage_id != o.passage.passage_id for o in chosen)
        ]

    def _rival(self, candidate: Candidate, analysis: QuestionAnalysis) -> bool:
        """Whether a sentence is about another thing of the kind asked about (_rival)."""
        passage = candidate.passage
        return _rival(passage, self._section_of(passage), analysis.text)

    def _opening_gaps(
        self, best: Candidate, analysis: QuestionAnalysis, terms: Sequence[str]
    ) -> list[str]:
        """The words of a whether-question (能带宠物狗入住吗, 私家车能不能临时停车) that a notice's
        opening lacks, when that opening is the best evidence.

        The paragraph before a notice's first heading says what the notice is about (为…，某单位
        定于…开展…): it names the subject of nearly every question asked of the notice, so its
        words cover a question well, though it settles whether a particular thing is allowed or
        provided only where it names that thing. The words are those of
        ``_whether_clause_words``, not common ones (孩子, 一起: words of no weight). A day of
        the week asked (周六能办不) is left to the schedule's ranking cue, like the details
        asked."""
        if (
            not analysis.whether
            or analysis.details
            or analysis.is_list
            or analysis.reason
            or analysis.entitlement
            or analysis.remedy
            or analysis.consequence
            or analysis.weekday
            or best.passage.paragraph_index not in self._view().preamble(best.passage.doc_id)
        ):
            return []
        asked = set(self._whether_clause_words(analysis, terms, self.policy.opening_gap_weight))
        return [
            t
            for t, support in zip(terms, best.supports, strict=True)
            if support < self.policy.term_found and t in asked
        ]

    def _whether_words_elsewhere(
        self, analysis: QuestionAnalysis, terms: Sequence[str], document: str
    ) -> list[str]:
        """The words of a whether-question's asking clauses (医保 and 报销 of 狂犬病疫苗的费用医保
        能报销吗) that the answering document (folded) never uses, nor any form of them, while
        other documents of the sources do.

        That the sources have a word for the thing, and this notice never uses it, says the
        notice does not settle whether it holds: its sentences on the vaccine's price do not
        say whether insurance pays. (A word no source uses says less: residents' own words, 咋,
        俺家, 掏钱, are mostly absent everywhere.) The words are those of
        ``_whether_clause_words`` of some weight (``whether_gap_weight``), not the whether-word
        itself (能否), not words asking a kind (收费, 费用) nor of money (缴费:
        whether it costs is said by 免费 or a fee in any words), nor calendar words (周末,
        周六: said as 周六、周日 or 节假日), and not when a day of the week is asked (周末晚上
        开门不: left to the schedule's ranking cue, as in ``_opening_gaps``). Measured over the
        notice sets (2026-12-08): +33 declines, −14 answers; on the never-read halves of the
        newest four sets +6 −2."""
        if not analysis.whether or analysis.weekday:
            return []
        return [
            t
            for t in self._whether_clause_words(analysis, terms, self.policy.whether_gap_weight)
            if not asks_whether(t)
            and not asks_for_detail(t)
            and not term_tools.is_calendar_word(t)
            and not _MONEY_WORD.search(t)
            and self._term_stats().known(t)
            and term_tools.term_support(t, document) < self.policy.term_found
        ]

    def _whether_clause_words(
        self, analysis: QuestionAnalysis, terms: Sequence[str], min_weight: float
    ) -> list[str]:
        """The words of a whether-question's asking clauses that could settle it, read by both
        checks above: only the clauses asking whether (我腿脚不好，家里人能替着办不 asks about
        家里人, not 腿脚), only words of general Chinese (jieba's table; not 能办 or 卡刷, glued
        by the segmenter from a modal and a verb), not numbers (6岁 is judged against an age
        range), not words of manner or place (直接, 路边), and of at least ``min_weight``."""
        known_words, _ = term_tools.general_idf()
        stats = self._term_stats()
        asked = "".join(c for c in clauses(analysis.text) if asks_whether(c))
        return [
            t
            for t in terms
            if t in asked
            and t in known_words
            and term_tools.word_class(t) not in term_tools.MANNER_CLASSES
            and not any(ch.isdigit() for ch in t)
            and stats.weight(t) >= min_weight
        ]

    def _unlisted(self, best: Candidate, analysis: QuestionAnalysis, document: str) -> list[str]:
        """The question's things of a listed kind that the list does not hold (_unlisted);
        ``document``: the best sentence's document, folded."""
        passage = best.passage
        asks_sum = Detail.AMOUNT in analysis.details
        return _unlisted(passage, self._section_of(passage), analysis.text, document, asks_sum)

    def _section_of(self, passage: Passage) -> list[Passage]:
        """The passages under the same heading of the same document, in reading order."""
        key = (passage.doc_id, passage.section_anchor)
        return [self._retriever.index.passages[i] for i in self._view().by_section.get(key, ())]

    def _margin(self, candidate: Candidate, best: Candidate) -> float:
        """How much less near the question a sentence holding a missing detail may be: more
        under the best one's own heading (一、交房时间 and its sentences belong together)."""
        p = self.policy
        same_section = (
            candidate.passage.section_anchor == best.passage.section_anchor
            and len(best.passage.section_path) > 1
        )
        return p.section_dense_margin if same_section else p.detail_dense_margin

    def _enumeration(
        self, chosen: Sequence[Candidate], *, after_lead_in: bool = True
    ) -> list[Candidate]:
        """The rest of a list that a chosen sentence opens or belongs to.

        Materials, steps and conditions are written as lists: 申请时请携带以下材料： then items
        (a Markdown list's numbers are not part of the text), or 须携带：1. …；2. …；3. … in one
        paragraph. The answer is the whole list, not the one item that happened to rank first.
        ``after_lead_in``: whether a run the notice's own lead-in opens (现将有关事项通知如下：
        and the notice's sentences after it) counts as a list.
        """
        p = self.policy
        taken = {c.passage.passage_id for c in chosen}
        for cand in chosen:
            _, order, at = self._reading_order(cand.passage)
            run = _list_run(order, at, p.max_list_passages)
            if run and not after_lead_in and _NOTICE_LEAD_IN.search(run[0].text):
                continue
            items = [m for m in run if m.passage_id not in taken]
            if items:
                return [
                    dataclasses.replace(cand, hit=dataclasses.replace(cand.hit, passage=m))
                    for m in items
                ]
        return []

    def _clause_fills(
        self,
        best: Candidate,
        evidence: Sequence[Candidate],
        analysis: QuestionAnalysis,
        retrieval: Retrieval,
        terms: Sequence[str],
    ) -> list[Candidate]:
        """For a question of several clauses (涉及哪几栋楼，高考期间哪几天停止噪声作业; 要求在
        哪天以前出生，行动不便的老人怎么办), the sentence of the answering document that answers a
        clause the evidence does not speak to: the one holding most of the clause's own words
        (not the subject the title names, not its interrogatives). What it holds counts only
        for the kinds its own clause asks."""
        p = self.policy
        asked_clauses = [c for c in clauses(analysis.text) if len(c) >= 4]
        passages = self._retriever.index.passages
        if len(asked_clauses) < 2 or retrieval.passages is not passages:
            return []  # one clause; or a new build landed while this question was read
        view = self._view()
        doc = best.passage.doc_id
        rows = view.by_doc.get(doc, ())
        if len(rows) > p.document_sentences:
            return []  # a notice, not a whole plan or article
        # The document's subject is what its title names; its section headings tell its parts
        # apart (二、寒假作业要求 is where 寒假作业交给谁 is answered), so they are no subject.
        title = fold(best.passage.section_path[0]) if best.passage.section_path else ""
        said = fold("".join(c.passage.text for c in evidence))
        headed = fold("".join(c.passage.text + _own_heading(c.passage) for c in evidence))
        candidates = [i for i in rows if not _boilerplate(passages[i].text)]
        weights_all = view.stats.weights(terms)
        top_fused = float(retrieval.fused.max()) or 1.0
        fills: list[Candidate] = []
        for clause in asked_clauses:
            # (A bare count, 哪两个部门's 两个, belongs to the question word, not the subject.)
            own = [
                t
                for t in term_tools.content_terms(clause, view.stats.known)
                if not asks_for_detail(t)
                and not _BARE_COUNT.fullmatch(t)
                # (Named by the title in full: 物业服务中心 is not 物业服务费's.)
                and term_tools.term_support(t, title) < term_tools.SYNONYM_SUPPORT
            ]
            weights = view.stats.weights(own)
            if not own or sum(weights) <= 0:
                continue

            def share(text: str, weights: list[float] = weights, own: list[str] = own) -> float:
                return _weighted(weights, term_tools.coverage(own, text))

            # The sentence holding most of its words, when the evidence holds fewer (选择尺码 in
            # the first clause's answer does not say where sizes are changed); when no sentence
            # does, one whose own heading adds them (（二）入户排查（4月1日至5月31日） names the
            # step each sentence under it is about).
            needed = p.clause_fill_needed
            tied = _most_of(candidates, lambda i: share(passages[i].text), share(said), needed)
            tied = tied or _most_of(
                candidates,
                lambda i: share(passages[i].text + _own_heading(passages[i])),
                share(headed),
                needed,
            )
            if not tied:
                continue
            # Of equals, one holding what the clause asks; of those, the ones whose heading or
            # sentence names more of all its words, the title's too (集中清理阶段从哪天开始:
            # （二）集中清理阶段, not （三）巩固提升阶段); and of those the nearest to the clause
            # in meaning (寒假作业交给谁: of the sentences naming 作业, the one saying to whom).
            asked = asked_details(clause)
            tied = [i for i in tied if self._holds_any(passages[i], asked, analysis)] or tied
            if len(tied) > 1:
                every = term_tools.content_terms(clause, view.stats.known)
                every_weight = view.stats.weights(every)
                shares = {
                    i: _weighted(
                        every_weight,
                        term_tools.coverage(every, passages[i].text + _own_heading(passages[i])),
                    )
                    for i in tied
                }
                tied = [i for i in tied if shares[i] == max(shares.values())]
            pick = tied[0] if len(tied) == 1 else self._nearest_in_meaning(clause, tied)
            fill = self._candidate(
                retrieval.hit(pick), analysis, terms, weights_all, top_fused, retrieval.lent
            )
            fills.append(
                dataclasses.replace(fill, holds=fill.holds & asked, specific=fill.specific & asked)
            )
            said += fold(passages[pick].text)
            headed += fold(passages[pick].text + _own_heading(passages[pick]))
        return fills

    @staticmethod
    def _holds_any(passage: Passage, asked: frozenset[Detail], analysis: QuestionAnalysis) -> bool:
        """Whether a passage, read under its own heading, holds a kind a clause asks."""
        heading = _own_heading(passage)
        return any(evidence_holds(d, passage.text, heading=heading, asked=analysis) for d in asked)

    def _nearest_in_meaning(self, text: str, rows: Sequence[int]) -> int:
        """Of these passages (rows of the current build), the one whose vector is nearest the
        text's embedded as a question."""
        vector = self._retriever.embed_queries([text])[0]
        cosines = self._retriever.index.embeddings[list(rows)] @ vector
        return rows[int(np.argmax(cosines))]

    def _opened_list(
        self,
        best: Candidate,
        retrieval: Retrieval,
        analysis: QuestionAnalysis,
        terms: Sequence[str],
        *,
        continued: bool = True,
    ) -> list[Candidate]:
        """The items after a best sentence that only opens a list (降雪量达到中雪及以上时，采取以下
        临时措施：): by itself it says nothing of what the measures are; its items do. Each item
        is weighed as a candidate of its own (what it holds is its own, not the opener's).
        ``continued``: a best sentence ending in a semicolon brings the rest of its list or
        statement too (周一至周五…； 周六、周日上午…)."""
        opens = bool(_ENDS_IN_COLON.search(best.passage.text))
        if not opens and not (continued and _ENDS_IN_SEMICOLON.search(best.passage.text)):
            return []
        passages = self._retriever.index.passages
        if retrieval.passages is not passages:
            return []  # a new build landed while this question was read
        if best.passage.passage_id not in self._view().position:
            return []
        rows, order, at = self._reading_order(best.passage)
        run = _list_run(order, at, self.policy.max_list_passages)
        if not run and not opens:
            # A statement split at its semicolon (周一至周五…；周六、周日上午…): its rest.
            run = [order[at]]
            while (
                _ENDS_IN_SEMICOLON.search(run[-1].text)
                and at + len(run) < len(order)
                and order[at + len(run)].paragraph_index == best.passage.paragraph_index
                and len(run) < self.policy.max_list_passages
            ):
                run.append(order[at + len(run)])
        ids = [m.passage_id for m in run]
        here = best.passage.passage_id
        # (An item far down a long list is not in the run, which stops before it.)
        if len(run) < 2 or here not in ids or (opens and ids[0] != here):
            return []
        start = at - ids.index(here)
        weights = self._view().stats.weights(terms)
        top_fused = float(retrieval.fused.max()) or 1.0
        return [
            self._candidate(
                retrieval.hit(rows[start + k]), analysis, terms, weights, top_fused, retrieval.lent
            )
            for k, m in enumerate(run)
            if m.passage_id != best.passage.passage_id
        ]

    def _statement_start(
        self,
        best: Candidate,
        retrieval: Retrieval,
        analysis: QuestionAnalysis,
        terms: Sequence[str],
    ) -> list[Candidate]:
        """The start of the statement a best sentence ends (瀛海镇政府站首车6:00，末车21:30；
        荣昌东街站首车6:40，末车22:10。): the sentences of its paragraph before it that end in a
        semicolon, at most two; quoting the second half alone leaves out what it continues.
        Under a heading naming a kind asked (一、停水时间), the paragraph's sentences before it
        holding that kind too: 4月8日9:00至17:00。 before 如遇降雨，停水顺延至4月9日。"""
        if retrieval.passages is not self._retriever.index.passages:
            return []  # a new build landed while this question was read
        if best.passage.passage_id not in self._view().position:
            return []
        rows, order, at = self._reading_order(best.passage)
        heading = _own_heading(best.passage)
        labelled = [d for d in analysis.details if heading_labels(d, heading, analysis)]

        def continued(before: Passage) -> bool:
            return bool(_ENDS_IN_SEMICOLON.search(before.text)) or any(
                evidence_holds(d, before.text, heading=heading, asked=analysis) for d in labelled
            )

        first = at
        while (
            first > 0
            and at - first < 2
            and order[first - 1].paragraph_index == best.passage.paragraph_index
            and continued(order[first - 1])
        ):
            first -= 1
        weights = self._view().stats.weights(terms)
        top_fused = float(retrieval.fused.max()) or 1.0
        return [
            self._candidate(
                retrieval.hit(rows[k]), analysis, terms, weights, top_fused, retrieval.lent
            )
            for k in range(first, at)
        ]

    def _with_list_openers(
        self,
        evidence: Sequence[Candidate],
        analysis: QuestionAnalysis,
        retrieval: Retrieval,
        terms: Sequence[str],
    ) -> list[Candidate]:
        """The evidence with the sentence opening each list one of its sentences is an item of,
        just before that item: 被判处刑罚正在服刑的； alone does not say what befalls such a
        person; 有下列情形之一的，不予发放： does. Only a sentence ending in a colon under a
        section's heading opens such a list. The opener holds nothing of what is asked."""
        passages = self._retriever.index.passages
        if retrieval.passages is not passages:
            return list(evidence)  # a new build landed while this question was read
        shown = {c.passage.passage_id for c in evidence}
        view = self._view()
        weights = view.stats.weights(terms)
        top_fused = float(retrieval.fused.max()) or 1.0
        out: list[Candidate] = []
        for cand in evidence:
            opener = self._list_opener(cand.passage)
            if (
                opener is not None
                and opener.passage_id not in shown
                and _ENDS_IN_COLON.search(opener.text)
                and _own_heading(opener)  # not the opening's 现将有关事项通知如下：
                and not _addressee(opener)
            ):
                hit = retrieval.hit(view.position[opener.passage_id])
                made = self._candidate(hit, analysis, terms, weights, top_fused, retrieval.lent)
                out.append(dataclasses.replace(made, holds=frozenset(), specific=frozenset()))
                shown.add(opener.passage_id)
            out.append(cand)
        return out

    def _list_opener(self, passage: Passage) -> Passage | None:
        """The sentence opening the list a passage is an item of (…分为三档：), if any."""
        _, order, at = self._reading_order(passage)
        run = _list_run(order, at, self.policy.max_list_passages)
        if run and run[0] is not passage and _OPENS_LIST.search(run[0].text):
            return run[0]
        return None

    def _list_opener_text(self, passage: Passage) -> str:
        opener = self._list_opener(passage)
        return opener.text if opener else ""

    def _reading_order(self, passage: Passage) -> tuple[tuple[int, ...], list[Passage], int]:
        """The index rows of a passage's document, its passages in reading order, and where the
        passage stands among them (a list or statement around it is read from there)."""
        view = self._view()
        rows = view.by_doc[passage.doc_id]
        order = [self._retriever.index.passages[i] for i in rows]
        return rows, order, rows.index(view.position[passage.passage_id])

    def _labelled_paragraph(self, best: Candidate, analysis: QuestionAnalysis) -> list[Candidate]:
        """The other sentences of the best one's paragraph when a label opening it names the
        kind asked (4. 所需材料：身份证原件…；外埠老年人还须…。由家属代办的，需携带…。): the
        paragraph under the label is the answer, not the one sentence that ranked first."""
        passage = best.passage
        if not labels_kind(passage.paragraph_text, analysis.details):
            return []
        passages = self._retriever.index.passages
        members = [
            passages[i]
            for i in self._view().by_doc.get(passage.doc_id, ())
            if passages[i].paragraph_index == passage.paragraph_index
            and passages[i].passage_id != passage.passage_id
        ]
        return [
            dataclasses.replace(best, hit=dataclasses.replace(best.hit, passage=m)) for m in members
        ]

    def _list_section(self, best: Candidate) -> list[Candidate]:
        """The items of the list the best passage belongs to, when it is one: a section of a
        few one-sentence paragraphs under a heading of its own (三、需携带材料: 1. … 2. …)."""
        p = self.policy
        passage = best.passage
        if len(passage.section_path) < 2 or len(passage.paragraph_text) > p.list_item_chars:
            return []
        key = (passage.doc_id, passage.section_anchor)
        # A sign-off closing the last section (长子营镇人民政府2027年1月4日) is none of its items.
        members = [
            m
            for m in (
                self._retriever.index.passages[i] for i in self._view().by_section.get(key, ())
            )
            if not _SIGN_OFF.match(m.text.strip())
        ]
        items = [m for m in members if len(m.paragraph_text) <= p.list_item_chars]
        one_sentence_paragraphs = len({m.paragraph_index for m in members}) == len(members)
        if len(items) < 2 or len(items) != len(members) or not one_sentence_paragraphs:
            return []
        return [
            dataclasses.replace(best, hit=dataclasses.replace(best.hit, passage=m)) for m in items
        ]

    def _list_items(
        self,
        candidates: Sequence[Candidate],
        analysis: QuestionAnalysis,
        terms: Sequence[str],
        own_terms: Sequence[str],
    ) -> list[Candidate]:
        """Every candidate that names the kind of thing listed, not just the top hit.

        The listed kind is the head of the question ("规划里有哪些铁路项目" → 铁路项目). Its most
        specific term present in the sources (the one the fewest candidates contain: 铁路, not
        项目) is the key; a passage qualifies when it contains the key, scores within
        ``list_item_ratio`` of the best, and covers the question's other terms that the best
        passage covers (the park in "某园区有哪些项目").
        """
        p = self.policy
        head_terms = term_tools.content_terms(analysis.list_head) if analysis.list_head else []
        texts = [normalize(c.passage.text + "".join(c.passage.section_path)) for c in candidates]
        # As the best passage has it, when it has some (公交 of 公交线路 in A口外…公交站可换乘兴23
        # 路, when another document names 公交线路 in full).
        keys = [
            k
            for k in (
                _longest_present_prefix(t, texts[:1]) or _longest_present_prefix(t, texts)
                for t in head_terms
            )
            if k
        ]
        # When the best passage names the listed kind in none of the head's words (女性体重不低于
        # 45公斤 for 有什么要求), it says it in its own words: a key would leave it out.
        if not any(k in texts[0] for k in keys):
            keys = []
        key = min(keys, key=lambda k: sum(k in t for t in texts)) if keys else ""
        best = candidates[0]
        # The question's own other terms (not those borrowed from the previous question) that
        # the best passage covers.
        other = [
            i
            for i, t in enumerate(terms)
            if t in own_terms and t not in head_terms and best.supports[i] >= p.term_found
        ]
        items: list[Candidate] = []
        for cand, text in zip(candidates, texts, strict=True):
            if key and key not in text:
                continue
            if any(cand.supports[i] < p.term_found for i in other):
                continue
            if cand.score < p.list_item_ratio * best.score:
                continue
            items.append(cand)
            if len(items) >= p.max_list_passages:
                break
        return items or [best]

    # -- rendering ----------------------------------------------------------------------------


def _is_elliptical(analysis: QuestionAnalysis, terms: Sequence[str]) -> bool:
    """A question that leans on the previous one: "那高速呢？", "还有呢", "铁路呢"."""
    short_ne = len(analysis.normalized) <= 8 and analysis.normalized.rstrip("?？").endswith("呢")
    return analysis.follow_up or not terms or short_ne


def _carry_over(
    analysis: QuestionAnalysis, previous: QuestionAnalysis, head: str
) -> QuestionAnalysis:
    """A follow-up asks what the previous question asked, about something else.

    After "京霸铁路哪年通车", "那廊涿城际呢？" asks for a year too; after a list question, for a
    list of the new kind.
    """
    is_list = analysis.is_list or previous.is_list
    return dataclasses.replace(
        analysis,
        details=analysis.details or previous.details,
        is_list=is_list,
        list_head=analysis.list_head if analysis.is_list else (head if is_list else ""),
        entitlement=analysis.entitlement or previous.entitlement,
    )


# Lines that frame a document rather than say anything: a sign-off of issuer and date with no
# punctuation (北京兴源热力有限公司2026年10月20日), the lead-in to a list (…通知如下：).
_SIGN_OFF = re.compile(
    r"^(?:[^，。；：！？,.;:!?]{4,40})?(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$"
)
_LEAD_IN = re.compile(r"(?:如下|以下)[：:]$|^特此(?:通知|公告|通告)")
# A notice's lead-in to all it says (现将有关事项通知如下：), not to a list of things.
_NOTICE_LEAD_IN = re.compile(r"(?:事项|通知|公告|通告|告知|说明)如下[：:]\s*$")
_LEAD_IN_CLAUSE = re.compile(r"[^，,]*(?:如下|以下)[：:]$|^特此.*$")
# Characters a sentence keeps beside its lead-in to say something of its own.
_SAYS_SOMETHING = 12
# A salutation (尊敬的观林园小区业主：, 广大居民朋友：): whom a notice addresses, never an answer.
# Often a list of offices and people (各镇政府、街道办事处，各社区卫生服务中心：, 各有关单位、广大
# 驾驶人：), opened by 各 or 广大 and closed by whom it addresses.
_SALUTATION = re.compile(
    r"^(?:尊敬的|亲爱的|各位|广大)?[^，。；：！？,.;:!?]{0,24}"
    r"(?:业主|居民|市民|家长|朋友|用户|乘客|村民|同志|读者|游客|患者|群众)(?:们)?(?:朋友)?[：:]$|"
    r"^(?:各|广大|尊敬的|亲爱的)[^。；：！？\d]{0,40}"
    r"(?:单位|部门|机构|企业|政府|办事处|中心|委员会|居委会|村委会|学校|幼儿园|医院|"
    r"人|者|生|员|户|民|长|们|友|属|工|主|客|众|志)[：:]$"
)


# A sentence that opens a list (请携带以下材料：, 须携带：1. …；), and one after which it goes on
# (an item ending in a semicolon, or the opener itself).
_OPENS_LIST = re.compile(rf"[：:]\s*(?:{ENUMERATION_MARK}|$)")
_ENDS_IN_COLON = re.compile(r"[：:]\s*$")
_ENDS_IN_SEMICOLON = re.compile(r"[；;]\s*$")
_LIST_GOES_ON = re.compile(rf"[；;]\s*$|[：:]\s*(?:{ENUMERATION_MARK}|$)")


def _list_run(order: Sequence[Passage], at: int, limit: int) -> list[Passage]:
    """The list around ``order[at]`` (a document's passages in reading order), or nothing.

    A list is opened by a sentence ending in a colon (or holding ：1.); its items follow in
    the same section, each but the last ending in a semicolon, or each a paragraph of one
    phrase when the opener ends its paragraph (a Markdown list: 需携带以下材料： then 1. …。
    2. …。). Three sentences make a list, or two when the first opens it (须携带：1. …； 2. …。).
    """
    section = order[at].section_anchor
    while (
        not _OPENS_LIST.search(order[at].text)
        and at > 0
        and order[at - 1].section_anchor == section
        and _LIST_GOES_ON.search(order[at - 1].text)
        and not _addressee(order[at - 1])
    ):
        at -= 1  # back to the sentence that opens the list, or its first item
    if _addressee(order[at]):
        return []
    run = [order[at]]
    opened = bool(_OPENS_LIST.search(run[0].text))
    itemised = opened and _ENDS_IN_COLON.search(run[0].paragraph_text)
    while (
        len(run) <= limit
        and at + len(run) < len(order)
        and order[at + len(run)].section_anchor == section
        and (
            _LIST_GOES_ON.search(run[-1].text)
            or (itemised and _item(run[-1]) and _item(order[at + len(run)]))
        )
    ):
        run.append(order[at + len(run)])
    return run if len(run) >= 3 or (opened and len(run) == 2) else []


def _whole_paragraph(passage: Passage) -> bool:
    return passage.paragraph_text.strip() == passage.text.strip()


def _addressee(passage: Passage) -> bool:
    """A notice's first line naming whom it is addressed to (各缴存单位、缴存职工：): it ends
    in a colon, but what follows is the notice, not a list."""
    return (
        passage.paragraph_index == 0
        and _whole_paragraph(passage)
        and bool(_ENDS_IN_COLON.search(passage.text))
        and "，" not in passage.text
    )


def _item(passage: Passage) -> bool:
    """Whether a sentence reads as an item of a list written one to a paragraph: the whole
    paragraph, ending in 。, and one phrase (申领人身份证原件。), not a statement in clauses
    (逾期未申请的，视为放弃。)."""
    return _whole_paragraph(passage) and not any(mark in passage.text for mark in "，,；;")


# The head of a parallel entry: the thing it is about, before its details (德茂公园北门停车场：快充
# 桩8个…; 兴政街公厕（兴政街28号对面）：…; 西瓜博物馆北侧空地临时停车场，车位520个；).
_ENTRY_HEAD = re.compile(
    rf"^\s*(?:{ENUMERATION_MARK})?\s*(?P<head>[\u4e00-\u9fff]{{3,20}}?)(?=[（(：:，,])"
)


@functools.lru_cache(maxsize=8192)
def _entry_head(text: str) -> str:
    """What a sentence opening on a thing names (德茂公园北门停车场), or nothing: a clause that
    opens it (停用期间，), or a list's opener, which speaks of all its items."""
    return _head_by(_ENTRY_HEAD, text)


def _head_by(pattern: re.Pattern[str], text: str) -> str:
    """The noun a sentence opens on by ``pattern``'s ``head``, unless it opens a list."""
    if _ENDS_IN_COLON.search(text):
        return ""
    match = pattern.match(fold(text))
    if not match:
        return ""
    head = match.group("head")
    return head if term_tools.ends_in_noun(head) else ""


def _rival(passage: Passage, section: Sequence[Passage], question: str) -> bool:
    """Whether a sentence is about another thing of the kind the question asks about (the
    next car park of a list of car parks): what it holds is that thing's, not the subject's.

    It opens on the thing it is about, and a sentence of its section opens on another thing
    of the same kind (their heads end alike: 停车场) that the question names by a word that
    sets it apart (博物馆), while it names none of this one's: 德茂公园北门停车场的门牌地址 is
    not given by 旧宫镇政府东侧停车场（旧宫东路5号）.
    """
    head = _entry_head(passage.text)
    if not head:
        return False
    asked = _words_of(question)
    for other in section:
        named = _entry_head(other.text)
        if not named or named == head or named[-2:] != head[-2:]:
            continue
        if _named_apart(named, head, asked) and not _named_apart(head, named, asked):
            return True
    return False


# A place named after what is done or kept there (网球场, 游泳馆): its kind is the word before.
_PLACE_SUFFIXES = frozenset("场馆室厅")


def _unlisted(
    passage: Passage, section: Sequence[Passage], question: str, document: str, asks_sum: bool
) -> list[str]:
    """The question's things of the kind a list enumerates that the list does not hold.

    A sentence opening on one thing (羽毛球：场地12片，40元/小时) whose section opens other
    sentences on things of the same kind (篮球, 乒乓球: their heads end alike) lists that kind;
    a thing of that kind the question names and the document never writes (网球场) is not in
    the list, and no entry's figure is its. One sharing more with an entry than the kind (物业费
    for 物业服务费, 暖气费 for 供暖费) may be that entry in a resident's words.
    """
    lists: list[tuple[str, set[str]]] = []  # (the kind's ending, the entries)
    head = _item_head(passage.text)
    if head:
        heads = {h for other in section if (h := _item_head(other.text))}
        if any(h != head and h[-1] == head[-1] for h in heads):
            lists.append((head[-1], heads))
    # The sentence itself may price things of one kind (床位费：双人间2200元/月，单人间3000元/
    # 月; the kind 人间, what they all end in), asked for a sum.
    priced = {h for h in _priced_items(passage.text) if len(h) >= 2}
    if asks_sum and len({h[-1] for h in priced}) == 1 < len(priced):
        lists.append((_common_ending(priced), priced))
    return [w for kind, heads in lists for w in _not_listed(kind, heads, question, document)]


def _not_listed(kind: str, heads: set[str], question: str, document: str) -> list[str]:
    """The question's words of the kind (球, 人间) that the document never writes and that
    share nothing but the kind with an entry."""
    out = []
    for word in _words_of(question):
        stem = word[:-1] if len(word) > 2 and word[-1] in _PLACE_SUFFIXES else word
        if (
            len(stem) > len(kind)
            and stem.endswith(kind)
            and stem not in document
            and not any(set(stem[: -len(kind)]) & set(h) for h in heads)
            and term_tools.ends_in_noun(word)
        ):
            out.append(word)
    return out


def _common_ending(words: set[str]) -> str:
    """The characters every word ends in (球 of 篮球 and 羽毛球; 人间 of 双人间 and 单人间)."""
    shortest = min(words, key=len)
    n = 0
    while n < len(shortest) and all(w[-1 - n] == shortest[-1 - n] for w in words):
        n += 1
    return shortest[len(shortest) - n :]


# Things a sentence gives a price for, one to a clause (双人间2200元/月，单人间3000元/月).
_PRICED_ITEM = re.compile(
    r"(?:^|[，,、；;：:])(?P<item>[\u4e00-\u9fff]{2,8}?)(?:为|是)?\d+(?:\.\d+)?\s*(?:元|块)"
)


def _priced_items(text: str) -> list[str]:
    """The things a sentence prices, in order (双人间, 单人间)."""
    return [m.group("item") for m in _PRICED_ITEM.finditer(fold(text))]


# A list item's head: two characters are enough here (篮球：…), unlike a thing a sentence opens on.
_ITEM_HEAD = re.compile(
    rf"^\s*(?:{ENUMERATION_MARK})?\s*(?P<head>[\u4e00-\u9fff]{{2,20}}?)(?=[（(：:])"
)


@functools.lru_cache(maxsize=8192)
def _item_head(text: str) -> str:
    """What a list item opens on before its colon or bracket (篮球：…), or nothing."""
    return _head_by(_ITEM_HEAD, text)


def _named_apart(head: str, other: str, asked: Sequence[str]) -> bool:
    """Whether the question uses a word of ``head`` that ``other`` lacks."""
    return any(t in asked for t in _words_of(head) if t not in other)


@functools.lru_cache(maxsize=8192)
def _words_of(text: str) -> tuple[str, ...]:
    """Content words (cached: a section's heads and the question are read for each sentence
    the rival check weighs)."""
    return tuple(term_tools.content_terms(text))


def _each_passage_once(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates in order, a passage that comes twice (a list's item that also fills a
    detail) kept where it first comes: an answer never quotes one sentence twice."""
    seen: set[str] = set()
    out = []
    for c in candidates:
        if c.passage.passage_id not in seen:
            seen.add(c.passage.passage_id)
            out.append(c)
    return out


def _document_first(ranked: list[Candidate]) -> list[Candidate]:
    """The best sentence of the document that answers best, then the rest in rank order.

    A sentence's rank leaves out the words its document's title supplies (they do not tell
    its sentences apart), so across documents it favours a sentence that repeats some of the
    question's words over one whose title names them all (黄村镇流感疫苗 asked: a heating notice's
    sentence naming 黄村镇 would outrank the vaccine notice's). Which document answers is
    judged with the title counted; which of its sentences, by rank.
    """
    if not ranked:
        return ranked
    strongest = max(ranked, key=lambda c: c.document_score).passage.doc_id
    first = next(c for c in ranked if c.passage.doc_id == strongest)
    return [first, *(c for c in ranked if c is not first)]


def _boilerplate(text: str) -> bool:
    """A sign-off, a salutation or a lead-in: never the sentence an answer ranks first (a
    notice's opening, which ends in its lead-in, names every subject of the notice)."""
    stripped = text.strip()
    return bool(
        _SIGN_OFF.match(stripped) or _LEAD_IN.search(stripped) or _SALUTATION.match(stripped)
    )


def _never_first(text: str, analysis: QuestionAnalysis) -> bool:
    """Boilerplate never leads an answer, except a notice's opening that gives the reason a
    why-question asks (因原址实施抗震加固，市场将临时搬迁，现将有关事项公告如下：): a notice
    usually says why it was issued in its opening, and only there."""
    if analysis.reason and gives_reason(text) and not _says_nothing(text):
        return False
    if not _boilerplate(text):
        return False
    # An opening that says something before its lead-in may give the detail asked
    # (亦庄镇景悦路公共停车场（景悦路12号，共有车位260个）…，现公告如下：).
    return _says_nothing(text) or not any(
        hold_strength(d, text, asked=analysis) is Hold.SPECIFIC for d in analysis.details
    )


def _says_nothing(text: str) -> bool:
    """Boilerplate that holds no detail either: an opening that ends in its lead-in after
    saying something (…自2026年9月1日起开设夜间门诊，现将有关事项通知如下：) can still give the
    date or place a question asks of the notice."""
    stripped = text.strip()
    if _LEAD_IN.search(stripped):
        return len(_LEAD_IN_CLAUSE.sub("", stripped)) < _SAYS_SOMETHING
    return _boilerplate(stripped)


def _gives_every_cue(analysis: QuestionAnalysis, text: str) -> bool:
    """Whether a sentence gives every ranking-only reading the question has (a reason, what
    a check covers): the sentence the cues lifted is not to be replaced by meaning alone."""
    cues = ranking_cues(analysis, text, with_start=False)
    return bool(cues) and all(cues)


def _held_for(candidate: Candidate, sums: Sequence[str], opener: str = "") -> frozenset[Detail]:
    """The kinds a candidate holds for a question naming these sums: an amount only when its
    own heading, its document's title or the sentence opening the list it is an item of names
    each of them (the title 停车场收费标准 names 停车费 for every sentence under it; 服务费按日计
    算，分为三档： for its items), or its sentence does where it gives an amount: in that clause
    or the one before (缴纳押金，金额为500元). 锂电池每组补贴300元，补贴直接从新电池售价中抵扣
    gives a subsidy, not the battery's price."""
    if Detail.AMOUNT not in candidate.holds or not sums:
        return candidate.holds
    passage = candidate.passage
    title = passage.section_path[0] if passage.section_path else ""
    around = fold(_own_heading(passage) + title + opener)
    parts = clauses(passage.text)
    priced = [
        "".join(parts[max(i - 1, 0) : i + 1])
        for i, clause in enumerate(parts)
        if evidence_holds(Detail.AMOUNT, clause)
    ]
    if all(
        names_sum(word, around) or any(names_sum(word, where) for where in priced) for word in sums
    ):
        return candidate.holds
    return candidate.holds - {Detail.AMOUNT}


# A total over several things named together (油松、银杏、海棠等苗木共1200株): the items, then
# 等, then the total's word before its figure.
_GROUP_TOTAL = re.compile(
    r"(?P<items>[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+)等[^，,；;。]*?(?:共|合计|总计)"
)
# A question asking the total itself (一共, 总共, 合计, 加起来).
_ASKS_TOTAL = re.compile(r"共|合计|总计|加起来|总数")


def _group_totals(candidate: Candidate, question: str) -> frozenset[Detail]:
    """The figures a sentence gives only as a total over several things, one of which the
    question asks about alone: 油松、银杏、海棠等苗木共1200株 gives no count of 银杏 (what is
    dropped from what the sentence holds). Unless another clause of it gives a figure naming
    that thing, or the question asks the total."""
    figures = {Detail.AMOUNT, Detail.QUANTITY} & candidate.holds
    if not figures or _ASKS_TOTAL.search(question):
        return frozenset()
    asked = _words_of(question)
    parts = clauses(candidate.passage.text)
    for clause in parts:
        match = _GROUP_TOTAL.search(clause)
        if not match:
            continue
        # Each item ends in the thing's name (the first one carries the clause's opening).
        items = match.group("items").split("、")
        members = [w for w in asked if any(item.endswith(w) for item in items)]
        if not members or all(any(item.endswith(w) for w in members) for item in items):
            continue
        elsewhere = [c for c in parts if c != clause and any(w in c for w in members)]
        if not any(evidence_holds(d, c) for d in figures for c in elsewhere):
            return frozenset(figures)
    return frozenset()


# A count alone (两个, 三家): in 哪两个部门 it belongs to the question word.
_BARE_COUNT = re.compile(r"[一二两三四五六七八九十几\d]+[个位家所条项种名处座户件次批类]")
# The time of something the sources will announce later (恢复时间另行通知, 恢复原址办公的具体
# 时间另行公告, 法定节假日安排另行通知): the thing, its time, then the deferral.
_PUT_OFF = re.compile(
    r"(?P<thing>[\u4e00-\u9fff]{2,16}?)的?(?:具体)?(?:时间|日期|安排)将?" rf"(?:{DEFERRING})"
)


def _put_off(passages: Sequence[Passage], question: str) -> frozenset[Detail]:
    """A date and a time, when the evidence says the time of the thing asked will be announced
    later (恢复时间另行通知, asked 哪天恢复): the sources say it is not set, and the dates they
    give are other things' (自6月7日起…临时迁至, the move away). The deferral must name more of
    the question's words than any clause giving a date does: 装修改造工程预计于10月底完工 answers
    原址装修预计什么时候完工 beside 恢复原址办公的具体时间另行公告; and 计划于1月上旬回迁，具体
    日期另行通知 still says when (its deferral names nothing)."""
    asked = _words_of(question)
    parts = [c for p in passages for c in clauses(p.text)]

    def named(text: str) -> int:
        return sum(w in text for w in asked)

    deferred = max((named(m.group("thing")) for c in parts if (m := _PUT_OFF.search(c))), default=0)
    dated = max(
        (
            named(c)
            for c in parts
            if not _PUT_OFF.search(c)
            and any(evidence_holds(d, c) for d in (Detail.DATE, Detail.TIME))
        ),
        default=0,
    )
    return frozenset({Detail.DATE, Detail.TIME}) if deferred > dated else frozenset()


def _headed_for(
    passage: Passage, detail: Detail, words: Sequence[str], analysis: QuestionAnalysis
) -> bool:
    """Whether a sentence sits under a heading naming the kind asked and a word of the
    question (一、搬迁时间): the section the notice gives to that detail of the subject."""
    heading = _own_heading(passage)
    return heading_labels(detail, heading, analysis) and any(w in fold(heading) for w in words)


def _under_the_kinds_one_heading(
    fills: Sequence[Candidate], detail: Detail, analysis: QuestionAnalysis
) -> list[Candidate]:
    """The sentences under the heading that names the kind asked (一、活动时间), when their
    document has one such heading; none when it has several (报名时间 and 活动时间: which one
    is meant, only the question's words can tell)."""
    labelled = {
        _own_heading(c.passage)
        for c in fills
        if heading_labels(detail, _own_heading(c.passage), analysis)
    }
    if len(labelled) != 1:
        return []
    return [c for c in fills if _own_heading(c.passage) in labelled]


def _names_specific_words(text: str) -> bool:
    """Whether a text holds a specific word of general Chinese (老二, not 开始)."""
    return any(term_tools.known_and_specific(t) for t in term_tools.content_terms(text))


def _heading_names(passage: Passage, terms: Sequence[str]) -> bool:
    """Whether the heading a sentence sits directly under names one of the question's words."""
    heading = fold(_own_heading(passage))
    return bool(heading) and any(_CJK_WORD.fullmatch(t) and t in heading for t in terms)


def _most_of(
    rows: Sequence[int], share: Callable[[int], float], already: float, needed: float
) -> list[int]:
    """The rows holding the largest share, when it is more than ``already`` and at least
    ``needed``; else none."""
    shares = {i: share(i) for i in rows}
    most = max(shares.values(), default=0.0)
    return [i for i, s in shares.items() if s == most] if most > already and most >= needed else []


def _own_heading(passage: Passage) -> str:
    """The heading a passage sits directly under, unless that is the document's title."""
    return passage.section_path[-1] if len(passage.section_path) > 1 else ""


def _clauses_coverage(
    candidates: Sequence[Candidate],
    analysis: QuestionAnalysis,
    terms: Sequence[str],
    weights: Sequence[float],
    policy: AnswerPolicy,
) -> float:
    """The best sentence's coverage; for a question of two clauses or more (梨园在哪几个村？现场
    报名在什么地方？), each clause may be covered by its own sentence of the best one's document
    among the top ``concentration_depth`` (the same top the gate reads the document's share
    of), as each ask is answered from its own (``_clause_fills``). A clause's words must meet
    in one sentence: 电工班 from one and 考核不合格 from another cover nothing."""
    best = candidates[0]
    asks = [c for c in clauses(analysis.text) if len(c) >= 4]
    if len(asks) < 2:
        return best.coverage
    near = [
        c
        for c in candidates[: policy.concentration_depth]
        if c.passage.doc_id == best.passage.doc_id
    ]
    found = total = 0.0
    for ask in asks:
        members = [i for i, t in enumerate(terms) if t in ask]
        weight = sum(weights[i] for i in members)
        if not weight:
            continue
        total += weight
        found += max(sum(weights[i] * c.supports[i] for i in members) for c in near)
    return max(best.coverage, found / total) if total else best.coverage


def _coverage_with_asked_given(
    best: Candidate,
    analysis: QuestionAnalysis,
    terms: Sequence[str],
    weights: Sequence[float],
    held_in_document: frozenset[Detail] = frozenset(),
) -> float:
    """The best sentence's coverage, a word naming what is asked (地址, 电话) counted as found
    when the sentence holds every kind asked: 邮寄至兴政街15号 gives the 地址 of 信函邮寄到什么
    地址; or when its document gives each of them a heading or a label of its own
    (``held_in_document``: 比赛的联络电话是多少, where the notice on the match ends with
    区体育局群体科：010-69241752 under 六、联系方式: a notice's one contact line serves all it
    says). (Only for whether the sources speak of the question:
    in the ranking, such words would lift every sentence holding the kind alike.) Not for a
    sum: its words name what is paid for as often as they ask how much (维护保养费用由谁承担,
    停车收费吗), and another thing's price holds a sum too."""
    held = best.holds | held_in_document
    if not analysis.details or held != analysis.details or Detail.AMOUNT in analysis.details:
        return best.coverage
    given = [1.0 if asks_for_detail(t) else s for t, s in zip(terms, best.supports, strict=True)]
    return _weighted(weights, given)


def _concentration(candidates: Sequence[Candidate], depth: int) -> float:
    """The share of the best candidates that come from the best one's document.

    When the sources hold a document about the question, its sentences crowd the top; when
    they do not, the nearest sentences are scattered over unrelated documents (DRCD's
    unindexed half). Measured by benchmarks/fit_answerability.py.
    """
    top = candidates[:depth]
    best = top[0].passage.doc_id
    return sum(c.passage.doc_id == best for c in top) / len(top)


def _addresses_readers(passage: Passage) -> bool:
    """A short line ending in a colon before anything is said: whom a notice is addressed to
    (尊敬的居民朋友：, 各位回迁安置户：)."""
    text = passage.text.strip()
    return passage.sentence_index == 0 and len(text) <= 20 and text.endswith(("：", ":"))


# Whether something costs is said by 免费 or by a fee, in any words (收费, 缴费, 交钱).
_MONEY_WORD = re.compile(r"费|钱|缴")


def _weighted(weights: Sequence[float], supports: Sequence[float]) -> float:
    """The weighted share of the question's terms found (0 when no term carries weight)."""
    total = sum(weights)
    return sum(w * s for w, s in zip(weights, supports, strict=True)) / total if total else 0.0


def _longest_present_prefix(term: str, texts: Sequence[str]) -> str:
    for end in range(len(term), 1, -1):
        prefix = term[:end]
        if any(prefix in t for t in texts):
            return prefix
    return ""
