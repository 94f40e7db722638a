"""/map and /chart: the events of a place, an oblast or the whole country as a picture. Mixed
into Commands, which reads the question (the same parsers as /city and /date) and looks the
place up. On the event loop this module only checks that there are events, with the query
/city uses, and writes the caption; the picture is an Order that bot/specs.py reads and
bot/drawing.py draws elsewhere.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from bot import catalogue
from bot.catalogue import t
from bot.figures import Order, Picture
from bot.kinds import kind_label
from bot.query import Query
from bot.render import CAPTION_LIMIT, Reply, Size, clip, day_label, esc, measure
from store.db import EventKind
from store.models import Place

if TYPE_CHECKING:
    from bot.commands import Chat, Commands

    _Base = Commands
else:
    _Base = object

CAPTION_EVENTS = 8
_WHOLE_COUNTRY = frozenset({"all", "ukraine", "україна", "усі", "все"})


class PictureCommands(_Base):
    """/map and /chart."""

    def cmd_map(self, argument: str, page: int, chat: Chat) -> Reply:
        return self._picture("map", argument, chat)

    def cmd_chart(self, argument: str, page: int, chat: Chat) -> Reply:
        return self._picture("chart", argument, chat)

    def _picture(self, what: Literal["map", "chart"], argument: str, chat: Chat) -> Reply:
        """The caption (the main events, newest day first as /city lists them, with their
        /event links) and the order for the picture; words instead when there is nothing to
        draw."""
        lang = chat.lang
        words = [w for w in argument.split() if w.lower() not in _WHOLE_COUNTRY]
        query = self._query(" ".join(words))
        place = self._place(query.place, lang) if query.place else None
        if isinstance(place, Reply):
            return place
        if query.choices:
            return self._choose(what, query, place, lang)
        days = query.days
        start, end = (days.start, days.end) if days else (None, None)
        kind = EventKind(query.kind, query.target, query.killed)
        events, total = self.store.find_events(place, start, end, CAPTION_EVENTS, 0, kind)
        if not events:
            return self._no_picture(place, query, lang)
        title = self._title(place, query, lang)
        if lang == "uk":
            events = self._in_ukrainian(events)
        canonical = " ".join(
            p
            for p in (place.name if place else "", days.canonical() if days else "", query.filters)
            if p
        )
        order = Order(what, self.store.path, place, start, end, kind, title, lang)
        key = (what, canonical, lang, self.store.meta("seq") or "0")
        name = re.sub(r"[^\w.-]+", "_", f"sitrep-{what}-{canonical or 'ukraine'}") + ".png"
        return Reply(map_caption(title, events, total, lang), picture=Picture(key, name, order))

    def _no_picture(self, place: Place | None, query: Query, lang: str) -> Reply:
        """No empty picture: the words /city and /date use, with the nearest days to try."""
        days = query.days
        scope = t("events.in", lang, place=place.name) if place else t("events.anywhere", lang)
        when = f" {t('events.on', lang)} {days.label(lang)}" if days else ""
        what = f" {query.filters}" if query.filters else ""
        message = t("events.none", lang, what=what, scope=scope, when=when)
        return self._empty(place, days, message, lang)

    def _title(self, place: Place | None, query: Query, lang: str) -> str:
        where = self._name(place, lang) if place else t("picture.ukraine", lang)
        what = f" · {query.filters}" if query.filters else ""
        when = f" · {query.days.label(lang)}" if query.days else ""
        return f"{where}{what}{when}"


def map_caption(title: str, events: list[dict[str, Any]], total: int, lang: str) -> str:
    """The title and the main events with their /event links, as many as fit Telegram's 1,024
    caption characters (measured as bot/render.py measures a message)."""
    head = f"<b>{esc(clip(title, 200))}</b> — {catalogue.count(total, lang)}"
    lines = [head]
    used = measure(head)
    for event in events:
        line = _caption_line(event, lang)
        size = measure(line) + Size(1, 0)
        if not (used + size).fits(CAPTION_LIMIT):
            break
        lines.append(line)
        used += size
    return "\n".join(lines)


def _caption_line(event: dict[str, Any], lang: str) -> str:
    name = (event.get("place_name_uk") if lang == "uk" else None) or event["place_name"]
    parts = [clip(name, 60), day_label(event["date"], lang=lang), kind_label(event, lang)]
    if event["killed_low"]:
        parts.append(f"{event['killed_low']} {t('killed', lang)}")
    return esc(" · ".join(parts)) + f" /e{event['id']}"
