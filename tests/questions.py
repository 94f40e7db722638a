"""Judging the bot's answers to questions as a new user types them (tests/data/*.csv).

A question's expected meaning is written as data ("events; place=Kharkiv; from=2022-03-01"),
and the judge checks the *meaning* of the reply against the database, never its wording: the
set of events listed over every page (the /event numbers), the events a button leads to, the
subscriptions the chat holds afterwards. So one table judges today's bot and tomorrow's, over
Telegram (the Bot API fake) or straight through Commands.

An Answerer is anything with `ask(text, chat_type)` and `press(data)`, both async, returning
the Reply (HTML text and buttons) or None for no reply at all.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from store.db import Store
from store.extract.rules import MIN_CONFIDENCE
from store.subscriptions import Subscriptions

DATA = Path(__file__).resolve().parent / "data"
# What /help must mention, by chat: a user has to learn these commands exist.
HELP_MUST_LIST = {
    "private": ["city", "date", "latest", "search", "event", "stats", "subscribe", "digest"],
    "group": ["city", "date", "subscribe", "unsubscribe", "subscriptions", "quiet", "digest"],
}
_EVENT_NUMBER = re.compile(r"/e(?:vent\s+|)(\d+)\b")
USAGE_LIMIT = 300  # a usage error is a line or two, not a paragraph


@dataclass(frozen=True)
class Question:
    text: str
    chat: str  # private | group
    expect: str

    @property
    def kind(self) -> str:
        return self.expect.split(";")[0].strip()

    @property
    def fields(self) -> dict[str, str]:
        return {
            k.strip(): v.strip()
            for k, _, v in (p.partition("=") for p in self.expect.split(";")[1:] if "=" in p)
        }

    @property
    def values(self) -> list[str]:
        return [p.strip() for p in self.expect.split(";")[1:] if "=" not in p and p.strip()]

    def __str__(self) -> str:
        return f"{self.text!r} ({self.chat}) -> {self.expect}"


def load_questions(name: str = "new_user_questions.csv") -> list[Question]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return [Question(r["question"], r["chat"], r["expect"]) for r in csv.DictReader(f)]


class Reply(Protocol):
    text: str
    buttons: list[list[tuple[str, str]]]


class Answerer(Protocol):
    async def ask(self, text: str, chat_type: str) -> Reply | None: ...

    async def press(self, data: str) -> Reply: ...

    @property
    def chat_id(self) -> int: ...


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def event_ids(text: str) -> set[int]:
    return {int(n) for n in _EVENT_NUMBER.findall(plain(text))}


def _labels(reply: Reply) -> dict[str, str]:
    return {label: data for row in reply.buttons for label, data in row}


async def all_pages(answerer: Answerer, reply: Reply, limit: int = 30) -> set[int]:
    """Every event number shown, following ▶ to the last page."""
    ids = event_ids(reply.text)
    for _ in range(limit):
        forward = _labels(reply).get("▶")
        if forward is None:
            break
        reply = await answerer.press(forward)
        ids |= event_ids(reply.text)
    return ids


class Expected:
    """The answers the database holds for a meaning, queried directly (not through the bot)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.gazetteer = store.gazetteer()

    def events(self, fields: dict[str, str]) -> set[int]:
        clauses, params = ["e.confidence >= ?"], [MIN_CONFIDENCE]
        if "place" in fields:
            place = self.gazetteer.lookup(fields["place"])
            assert place is not None, f"the table names an unknown place: {fields['place']}"
            if place.is_ua_oblast:
                clauses.append("p.admin1 = ? and p.country = 'UA'")
                params.append(place.admin1)
            else:
                clauses.append("e.place_id = ?")
                params.append(place.id)
        if "from" in fields:
            clauses.append("e.date >= ?")
            params.append(self._day(fields["from"]))
        if "to" in fields:
            clauses.append("e.date <= ?")
            params.append(self._day(fields["to"]))
        if "kind" in fields:
            clauses.append("(e.sub_event_type = ? or e.event_type = ?)")
            params += [fields["kind"], fields["kind"]]
        if "target" in fields:
            clauses.append("e.target = ?")
            params.append(fields["target"])
        if fields.get("killed"):
            clauses.append("coalesce(e.killed_qualifier, '') != ''")
        if "words" in fields:
            query = " ".join(f'"{w}"' for w in fields["words"].split())
            clauses.append("e.fts_rowid in (select rowid from events_fts where events_fts match ?)")
            params.append(query)
        rows = self.store.db.execute(
            "select e.id from events e join places p on p.id = e.place_id where "
            + " and ".join(clauses),
            params,
        ).fetchall()
        return {r[0] for r in rows}

    def rows(self, ids: set[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [
            dict(r)
            for r in self.store.db.query(f"select * from events where id in ({marks})", list(ids))
        ]

    def latest(self, n: int) -> set[int]:
        rows = self.store.db.execute(
            "select id from events where confidence >= ? order by date desc, id desc limit ?",
            [MIN_CONFIDENCE, n],
        ).fetchall()
        return {r[0] for r in rows}

    @staticmethod
    def _day(value: str) -> str:
        if value.startswith("today"):
            return (date.today() + timedelta(days=int(value[5:] or 0))).isoformat()
        return value


async def judge(answerer: Answerer, question: Question, expected: Expected) -> str | None:
    """None when the reply means what the table says; else what went wrong, for the report."""
    reply = await answerer.ask(question.text, question.chat)
    kind, fields, values = question.kind, question.fields, question.values
    if kind == "none":
        return None if reply is None else f"replied {plain(reply.text)[:80]!r}"
    if reply is None:
        return "no reply"
    text = plain(reply.text)
    if kind == "events":
        want = expected.events(fields)
        got = await all_pages(answerer, reply)
        if want != got:
            return f"events {sorted(got)} instead of {sorted(want)}: {text[:100]!r}"
        if not want and "place" in fields and fields["place"].split()[0] not in text:
            return f"an empty answer that does not name the place: {text[:100]!r}"
        return None
    if kind == "latest":
        want = expected.latest(int(fields["n"]))
        got = await all_pages(answerer, reply)
        return None if want == got else f"events {sorted(got)} instead of {sorted(want)}"
    if kind == "choose":
        return await _judge_choice(answerer, question, reply, expected)
    if kind == "event":
        row = expected.rows({int(fields["id"])})[0]
        summary = " ".join(row["summary"].split())[:40]
        if summary not in " ".join(text.split()) or text.count("Sources (") != 1:
            return f"not event {fields['id']} in full: {text[:100]!r}"
        return None
    if kind == "usage":
        command = values[0]
        if len(text) > USAGE_LIMIT or f"/{command}" not in text:
            return f"usage of {len(text)} characters without /{command}: {text[:100]!r}"
        return None
    if kind == "suggest":
        command = values[0]
        pressed = [d for row in reply.buttons for _, d in row if f"|{command}|" in d]
        if f"/{command}" in text or pressed:
            return None
        return f"no /{command} suggested: {text[:100]!r}"
    if kind == "suggest_place":
        want = expected.events({"place": values[0]})
        for _, data in [b for row in reply.buttons for b in row]:
            if await all_pages(answerer, await answerer.press(data)) == want:
                return None
        return f"no button leads to {values[0]}: {text[:100]!r}"
    if kind == "help":
        missing = [c for c in HELP_MUST_LIST[values[0]] if f"/{c}" not in text]
        return f"/help does not mention {missing}" if missing else None
    if kind == "stats":
        return _judge_stats(text, fields, expected)
    if kind == "subscribed":
        subs = Subscriptions(expected.store).of_chat(answerer.chat_id)
        labels = [s.label for s in subs]
        return None if values[0] in labels else f"subscriptions {labels}: {text[:100]!r}"
    if kind == "quiet":
        chat = Subscriptions(expected.store).chat(answerer.chat_id)
        ok = chat and int(chat["quiet"]) == int(values[0])
        return None if ok else f"quiet is not {values[0]}: {text[:100]!r}"
    raise AssertionError(f"unknown expectation {kind!r} in the table")


async def _judge_choice(
    answerer: Answerer, question: Question, reply: Reply, expected: Expected
) -> str | None:
    """Buttons, one per reading of the date, each showing that day's events (the question is
    asked again before each press: a pressed choice replaces the message)."""
    fields, days = question.fields, question.values
    presses = [d for row in reply.buttons for _, d in row]
    if len(presses) < len(days):
        return f"{len(presses)} buttons for {len(days)} readings: {plain(reply.text)[:100]!r}"
    answers = []
    for index in range(len(presses)):
        if index:
            again = await answerer.ask(question.text, question.chat)
            assert again is not None
            presses = [d for row in again.buttons for _, d in row]
        shown = await answerer.press(presses[index])
        answers.append((await all_pages(answerer, shown), plain(shown.text)))
    for day in days:
        want = expected.events({**fields, "from": day, "to": day})
        label = date.fromisoformat(day).strftime("%-d %b %Y")
        if not any(got == want and (want or label in text) for got, text in answers):
            return f"no button shows {day}: {[sorted(a) for a, _ in answers]}"
    return None


def _judge_stats(text: str, fields: dict[str, str], expected: Expected) -> str | None:
    """The number of events in scope and the lower bound of the killed, as digits in the text."""
    ids = expected.events(fields)
    numbers = set(re.findall(r"\d+", text))
    if str(len(ids)) not in numbers:
        return f"{len(ids)} events not stated: {text[:120]!r}"
    if not fields:
        busiest = expected.store.db.execute(
            "select p.name from events e join places p on p.id = e.place_id"
            " where e.confidence >= ? group by p.id order by count(*) desc limit 3",
            [MIN_CONFIDENCE],
        ).fetchall()
        missing = [r[0] for r in busiest if r[0] not in text]
        return f"busiest places {missing} not listed" if missing else None
    killed = sum(r["killed_low"] or 0 for r in expected.rows(ids))
    if killed and str(killed) not in numbers:
        return f"at least {killed} killed not stated: {text[:120]!r}"
    return None
