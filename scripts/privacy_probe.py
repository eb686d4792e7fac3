"""Privacy probe (issue 14, H2) against a running stack (`make run`): type personal numbers in
every written form into the chat, the contact form and feedback, then look for their digits in
every store: the app database (each table and column, and the raw file, whose free pages keep
deleted rows), Rasa's tracker of each probe conversation, and the logs.

    PLANBOT_RASA_TOKEN=… make run      # the probe reads Rasa's trackers with the same token
    .venv/bin/python scripts/privacy_probe.py --extra var/run.out

Each run makes new random numbers, so earlier runs cannot hide or fake a finding. A number
counts as found when the digits the masking removes (with one neighbour on each side) or the
whole number appear in a store after folding every written form back to plain digits
(full-width, Chinese numerals, spaces, hyphens and other separators between digits). The contact
given by consent in the contact form is expected in ``tickets.contact`` only.
Exit status 1 when anything is found elsewhere.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from planbot.settings import load_settings  # noqa: E402
from records.privacy import mask_personal_numbers  # noqa: E402

FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789+-()"}
CHINESE = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
CHINESE_IN = {**{c: d for d, c in CHINESE.items()}, "〇": "0", "幺": "1", "两": "2"}
BETWEEN_DIGITS = re.compile(
    r"(?<=[0-9])[\s\-.\u2010-\u2015\u2212\u200b-\u200d\u2060\ufeff()/_,、|·*]{1,6}(?=[0-9])"
)


@dataclass
class Sample:
    kind: str
    digits: str  # the number as plain characters, e.g. 13987654321 or E12345678
    typed: str  # how the resident typed it
    channel: str
    consented: bool = False
    found: dict[str, list[str]] = field(default_factory=dict)

    def needles(self) -> list[str]:
        """The whole number, and what masking removes from it with one neighbour each side."""
        masked = mask_personal_numbers(self.digits)
        stars = [i for i, ch in enumerate(masked) if ch == "*"]
        if not stars or len(masked) != len(self.digits):
            return [self.digits]  # not masked at all: the whole number is the secret
        core = self.digits[max(0, stars[0] - 1) : stars[-1] + 2]
        return [self.digits.upper(), core.upper()]


def _random_digits(n: int) -> str:
    return "".join(random.choice("0123456789") for _ in range(n))


def _id18() -> str:
    body = (
        random.choice(["110105", "110115", "130632", "440305"])
        + f"{random.randint(1950, 2005)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
        + _random_digits(3)
    )
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _id15() -> str:
    return (
        "110115"
        + f"{random.randint(50, 99)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
        + _random_digits(3)
    )


def _mobile() -> str:
    return "1" + random.choice("3456789") + _random_digits(9)


def _spaced(d: str, groups: tuple[int, ...], sep: str = " ") -> str:
    out, i = [], 0
    for g in groups:
        out.append(d[i : i + g])
        i += g
    return sep.join(out)


def samples() -> list[Sample]:
    """Every written form the review named, spread over the three ways in."""
    m = [_mobile() for _ in range(8)]
    land = "10" + random.choice("2345678") + _random_digits(7)  # Beijing, 8 digits
    land2 = "755" + random.choice("2345678") + _random_digits(7)
    i18, i15, i18x = _id18(), _id15(), _id18()
    passport = "E" + _random_digits(8)
    passport2 = "G" + _random_digits(8)
    s = [
        Sample("mobile", m[0], "+86 " + _spaced(m[0], (3, 4, 4)), "chat"),
        Sample("mobile", m[1], "0086" + m[1], "chat"),
        Sample("mobile", m[2], _spaced(m[2], (3, 4, 4), "-"), "chat"),
        Sample("mobile", m[3], m[3].translate(FULL_WIDTH), "chat"),
        Sample("mobile", m[4], "".join(CHINESE[d] for d in m[4]), "chat"),
        Sample("mobile", m[5], "+86 " + _spaced(m[5], (3, 4, 4)).translate(FULL_WIDTH), "chat"),
        Sample("landline", "0" + land, "010-" + _spaced(land[2:], (4, 4)), "chat"),
        Sample("landline", "0" + land2, "(0755)" + _spaced(land2[3:], (4, 4)), "chat"),
        Sample("id18", i18, i18, "chat"),
        Sample("id18", i18x, _spaced(i18x, (6, 8, 4)), "chat"),
        Sample("id15", i15, i15, "chat"),
        Sample("passport", passport, passport, "chat"),
        # The contact form: the phone given as the contact is consented; the ID beside it not.
        Sample("mobile", m[6], _spaced(m[6], (3, 4, 4), "-"), "contact form", consented=True),
        Sample("id18", _id18(), "", "contact form"),
        # Feedback: a complaint typed with numbers, and the unhelpful button after a question
        # holding one (feedback keeps the last question).
        Sample("mobile", m[7], "+86-" + m[7], "feedback"),
        Sample("passport", passport2, passport2, "feedback"),
    ]
    s[13].typed = s[13].digits
    return s


class Stack:
    def __init__(self, base: str, rasa: str, token: str) -> None:
        self.base, self.rasa, self.token = base.rstrip("/"), rasa.rstrip("/"), token
        self.sessions: list[str] = []

    def say(self, session: str, text: str) -> list[dict[str, object]]:
        if session not in self.sessions:
            self.sessions.append(session)
        request = urllib.request.Request(
            f"{self.base}/api/chat",
            data=json.dumps({"session_id": session, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        time.sleep(2.2)  # under the public limit of 30 turns a minute
        with urllib.request.urlopen(request, timeout=60) as response:
            replies: list[dict[str, object]] = json.loads(response.read())["replies"]
        return replies

    def tracker(self, session: str) -> str:
        query = urllib.parse.urlencode({"token": self.token})
        url = f"{self.rasa}/conversations/{urllib.parse.quote(session)}/tracker?{query}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.dumps(json.loads(response.read()), ensure_ascii=False)


def converse(stack: Stack, items: list[Sample], run: str) -> None:
    chat = [s for s in items if s.channel == "chat"]
    for n, s in enumerate(chat):
        stack.say(f"probe-{run}-chat{n}", f"我的号码是{s.typed}，请问京霸铁路什么时候建？")
    # A handoff after numbers were typed: the ticket's transcript and summary.
    session = f"probe-{run}-chat0"
    stack.say(session, "我要转人工")
    consented, beside = (s for s in items if s.channel == "contact form")
    session = f"probe-{run}-form"
    stack.say(session, "我们企业想跟大兴谈谈合作")
    stack.say(session, "我们是做生物医药的")
    stack.say(session, '/inform_need{"cooperation_need": "capacity"}')
    stack.say(session, "/affirm")
    stack.say(session, f"联系人王先生 {consented.typed}，身份证{beside.typed}")
    typed, button = (s for s in items if s.channel == "feedback")
    session = f"probe-{run}-feedback"
    stack.say(session, f"京霸铁路会建吗？我的护照号{button.typed}")
    stack.say(session, "/feedback_unhelpful")  # the button: kept with the last question
    stack.say(session, f"没用，答非所问，我的电话{typed.typed}")


def fold(text: str) -> str:
    """Every written form of a number back to plain digits (what a reader would dial)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(CHINESE_IN.get(ch, ch) for ch in text)
    return BETWEEN_DIGITS.sub("", text).upper()


def database_texts(path: Path) -> dict[str, str]:
    """Every column of every table, and the raw files (free pages keep deleted rows)."""
    texts: dict[str, str] = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                rows = db.execute(f'SELECT "{column}" FROM "{table}"').fetchall()
                texts[f"db {table}.{column}"] = "\n".join(str(r[0]) for r in rows)
    for suffix in ("", "-wal", "-journal"):
        raw = Path(f"{path}{suffix}")
        if raw.exists():
            texts[f"db file {raw.name} (raw bytes)"] = raw.read_bytes().decode("utf-8", "ignore")
    return texts


def stored_rows(path: Path, run: str) -> dict[str, int]:
    """How many rows this run left in each record table: a channel that stored nothing would
    make its "nowhere" meaningless."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {
            table: db.execute(
                f"SELECT count(*) FROM {table} WHERE session_id LIKE ?", (f"probe-{run}-%",)
            ).fetchone()[0]
            for table in ("conversation_turns", "tickets", "feedback")
        }


def unmasked_rows(path: Path) -> list[str]:
    """Any record, of any run, whose text the masking would still change: numbers stored
    before the masking learnt their form, or by a path that skips it. The consented contact
    (tickets.contact) is the exception."""
    found = []
    columns = {
        "conversation_turns": ("message", "reply_text"),
        "tickets": ("summary", "details", "transcript"),
        "feedback": ("question",),
    }
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        for table, names in columns.items():
            for row in db.execute(f"SELECT id, {', '.join(names)} FROM {table}"):
                for name, value in zip(names, row[1:], strict=True):
                    if name == "transcript":  # the texts (a turn's time is ours, not a number)
                        text = "\n".join(str(t.get("text", "")) for t in json.loads(value or "[]"))
                    elif name == "details":
                        text = json.dumps(json.loads(value or "{}"), ensure_ascii=False)
                    else:
                        text = value or ""
                    if text and mask_personal_numbers(text) != text:
                        found.append(f"{table}.{name} id {row[0]}")
    return found


def file_texts(paths: list[Path]) -> dict[str, str]:
    texts = {}
    for p in paths:
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                texts[f"file {f}"] = f.read_bytes().decode("utf-8", "ignore")
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument("--database", type=Path, default=REPO / "var" / "planbot.db")
    parser.add_argument("--logs", type=Path, default=REPO / "var" / "log")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="more files")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    random.seed(args.seed)

    settings = load_settings().web
    stack = Stack(args.base_url, args.rasa_url, settings.rasa_token)
    run = uuid.uuid4().hex[:8]
    items = samples()
    for s in items:  # the detector must find what was typed, or the probe proves nothing
        assert any(n in fold(s.typed) for n in s.needles()), (s.typed, s.needles())
    converse(stack, items, run)
    time.sleep(2)  # the action server's writes and the log handlers

    stores = database_texts(args.database)
    stores.update(file_texts([args.logs, *args.extra]))
    if settings.rasa_token:
        for session in stack.sessions:
            stores[f"rasa tracker {session}"] = stack.tracker(session)
    folded = {name: fold(text) for name, text in stores.items()}

    leaks = 0
    print(
        f"probe run {run}: {len(items)} numbers, {len(stack.sessions)} conversations, "
        f"{len(stores)} stores searched"
        + ("" if settings.rasa_token else " (no PLANBOT_RASA_TOKEN: trackers not read)")
    )
    print(f"{'kind':9} {'channel':13} {'typed':28} {'masked as':28} found in")
    for s in items:
        hits = [name for name, text in folded.items() if any(n in text for n in s.needles())]
        # The consented contact: its column, and the database's raw files that hold it.
        unexpected = [
            h
            for h in hits
            if not (s.consented and (h == "db tickets.contact" or h.startswith("db file ")))
        ]
        leaks += bool(unexpected)
        shown = ", ".join(hits) if hits else "nowhere"
        note = " (consented contact)" if s.consented else ""
        print(
            f"{s.kind:9} {s.channel:13} {s.typed:28} {mask_personal_numbers(s.typed):28} "
            f"{shown}{note}"
        )
    print(f"numbers found where they must not be: {leaks}")
    rows = stored_rows(args.database, run)
    print("rows this run stored: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    old = unmasked_rows(args.database)
    print(f"records of any run with an unmasked number: {len(old)} {old[:10]}")
    return 1 if leaks or old or not all(rows.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
