"""The bot's commands as plain functions: text in, Reply out. Telegram and the console share
them, subscriptions included (the console tries them on a local chat).

Which commands exist, and who may use them where, is bot/registry.py's table; what a question
means is bot/query.py's; how an answer looks is bot/render.py's.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import catalogue, registry
from bot.args import MAX_ARGUMENT, ArgumentError, parse_date_range
from bot.catalogue import LANGUAGES, label, t
from bot.pages import render_event_pages, render_pages
from bot.pictures import PictureCommands
from bot.query import Query, place_names, read_query
from bot.render import Reply, clip, day_label, esc, render_choice, render_help
from bot.reports import ReportCommands
from bot.subscribing import SubscriptionCommands
from store.db import EventKind, Store
from store.models import Place

PAGE_SIZE = 5
BUTTON_BYTES = 64  # Telegram's limit on a button's callback data
LAST_PART = 99  # "the last part of that page", for ◀ into a page split in parts
# ASCII digits, and few of them: "²" is a digit to str.isdigit but not to int().
_NUMBER = re.compile(r"[0-9]{1,9}")
_PAGE = re.compile(r"([0-9]{1,9})(?:\.([0-9]{1,2}))?")
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.S)
_SHORT_EVENT = re.compile(r"e([0-9]{1,9})")


def parse_command(text: str) -> tuple[str, str, str] | None:
    """(command, bot name or "", argument) of "/city@Bot Kharkiv", or None for chatter."""
    m = _COMMAND.match(text.strip())
    if not m:
        return None
    return m.group(1).lower(), m.group(2) or "", " ".join((m.group(3) or "").split())


@dataclass(frozen=True)
class Chat:
    """Where a message came from: the chat, its type, the forum topic, whether the sender may
    change the chat's subscriptions, and our own username (to tell other bots' commands)."""

    id: int = 0
    type: str = "private"
    thread_id: int = 0
    admin: bool = True
    bot: str = ""
    lang: str = "en"


PRIVATE = Chat()


class Page(int):
    """A page number of a list (five events a page), and which part of it when its events do
    not fit one message: "pg|3.1|…" is the second part of page 4. Plain int everywhere else."""

    part: int = 0

    def __new__(cls, number: int, part: int = 0) -> Page:
        page = super().__new__(cls, number)
        page.part = part
        return page

    def token(self) -> str:
        return f"{int(self)}.{self.part}" if self.part else str(int(self))


class Commands(SubscriptionCommands, ReportCommands, PictureCommands):
    """Every command's logic over one store; `today` is injected so tests can fix the clock."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today
        self.gazetteer = store.gazetteer()
        self._stash: dict[str, str] = {}  # button arguments too long for 64 bytes

    def handle(self, text: str, chat: Chat = PRIVATE) -> Reply | None:
        """The reply to one message; None for what is not for us (chatter in a group)."""
        parsed = parse_command(text)
        if parsed is None:
            if chat.type != "private" or not text.strip():
                return None
            return self.read(text[:MAX_ARGUMENT], chat)
        name, addressee, argument = parsed
        if addressee and chat.bot and addressee.lower() != chat.bot.lower():
            return None  # another bot's command
        if chat.type != "private" and not addressee and registry.command(name) is None:
            return None  # a command for some other bot in the group
        return self.run(name, argument[:MAX_ARGUMENT], 0, chat)

    def run(self, name: str, argument: str, page: int, chat: Chat = PRIVATE) -> Reply:
        spec = registry.command(name)
        if spec is None:
            return self._unregistered(name, argument, page, chat)
        if spec.admin and chat.type not in ("private", "channel") and not chat.admin:
            return Reply(t("admins.only", chat.lang))
        try:
            return getattr(self, f"cmd_{spec.name}")(argument, page, chat)
        except ArgumentError as exc:
            return Reply(esc(str(exc)))

    def callback(self, data: str, chat: Chat = PRIVATE) -> Reply:
        """A ◀ ▶, choice or suggestion button: "pg|<page>|<command>|<argument>"."""
        parts = data.split("|", 3)
        number = _PAGE.fullmatch(parts[1]) if len(parts) == 4 else None
        if number is None or parts[0] != "pg":
            return Reply(t("button.expired", chat.lang))
        argument = parts[3]
        if argument.startswith("#"):
            if argument not in self._stash:
                return Reply(t("button.expired", chat.lang))
            argument = self._stash[argument]
        page = Page(int(number.group(1)), int(number.group(2) or 0))
        return self.run(parts[2], argument, page, chat)

    def read(self, text: str, chat: Chat = PRIVATE) -> Reply:
        """Plain text in a private chat, read as a question: a command's name, a place, a date,
        or words to search for."""
        first, _, rest = text.strip().partition(" ")
        if registry.command(first.lower()) is not None and first.lower() != "start":
            return self.run(first.lower(), rest.strip(), 0, chat)
        query = self._query(text)
        place = self._lookup(query.place) if query.place else None
        if place is not None:
            return self._answer("city", 0, place, query, chat.lang)
        if (query.days is not None or query.choices) and not query.place:
            return self._answer("date", 0, None, query, chat.lang)
        if not query.place:
            return self.cmd_search(text, 0, chat)
        found = self.cmd_search(query.place, 0, chat)
        if found.buttons or "/e" in found.text:
            return found
        if len(query.place.split()) <= 2:
            return self._place(query.place, chat.lang)  # a typo of a place: "did you mean …?"
        return Reply(t("read.nothing", chat.lang))

    # --- asking -------------------------------------------------------------------------------

    def cmd_start(self, argument: str, page: int, chat: Chat) -> Reply:
        """/start, and deep links (whose payload is only letters, digits, _ and -):
        t.me/<bot>?start=e835, ?start=city-Kharkiv, ?start=city-Kryvyi_Rih,
        ?start=date-2022-03-02, ?start=stats-Mariupol."""
        link_event = _SHORT_EVENT.fullmatch(argument)
        if link_event:
            return self.cmd_event(link_event.group(1), 0, chat)
        name, _, rest = argument.partition("-")
        if name in ("city", "stats"):
            return self.run(name, rest.replace("_", " ").replace("-", " "), 0, chat)
        if name == "date":
            return self.run(name, rest.replace("_", " "), 0, chat)
        return Reply(t("start.intro", chat.lang) + "\n\n" + self.cmd_help("", 0, chat).text)

    def cmd_help(self, argument: str, page: int, chat: Chat) -> Reply:
        return Reply(render_help(registry.for_chat(chat.type), chat.type, chat.lang))

    def cmd_lang(self, argument: str, page: int, chat: Chat) -> Reply:
        """/lang uk or /lang en: this chat's language, whatever Telegram says the user's is."""
        choice = argument.strip().lower()[:2]
        if choice not in LANGUAGES:
            return Reply(t("lang.usage", chat.lang))
        self.store.set_chat_language(chat.id, choice)
        return Reply(t("lang.set", choice))

    def cmd_city(self, argument: str, page: int, chat: Chat) -> Reply:
        query = self._query(argument)
        if not query.place:
            return Reply(t("which.place", chat.lang))
        place = self._place(query.place, chat.lang)
        if isinstance(place, Reply):
            return place
        return self._answer("city", page, place, query, chat.lang)

    def cmd_date(self, argument: str, page: int, chat: Chat) -> Reply:
        if not argument:
            return Reply(t("which.day", chat.lang))
        query = self._query(argument)
        if query.days is None and not query.choices:
            parse_date_range(argument, self.today(), self._year(), self.store.last_date())
        place = self._place(query.place, chat.lang) if query.place else None
        if isinstance(place, Reply):
            return place
        return self._answer("date", page, place, query, chat.lang)

    def cmd_latest(self, argument: str, page: int, chat: Chat) -> Reply:
        if argument and not _NUMBER.fullmatch(argument):
            return Reply(t("latest.usage", chat.lang))
        wanted = max(1, min(int(argument or PAGE_SIZE), 20))
        remaining = max(0, wanted - page * PAGE_SIZE)
        events, total = self.store.find_events(
            limit=min(remaining, PAGE_SIZE), offset=page * PAGE_SIZE
        )
        total = min(total, wanted)
        title = t("events.latest", chat.lang)
        return self._reply(title, events, total, page, "latest", argument, lang=chat.lang)

    def cmd_search(self, argument: str, page: int, chat: Chat) -> Reply:
        words: list[str] = []
        for word in (w[:30] for w in re.findall(r"\w+", argument)):
            # Keep the query short enough to ride in a 64-byte button, so pages stay consistent.
            if len(" ".join([*words, word]).encode()) > 44:
                break
            words.append(word)
        if not words:
            return Reply(t("search.what", chat.lang))
        events = self.store.search(words, PAGE_SIZE, page * PAGE_SIZE)
        total = self.store.count_search(words)
        title = t("search.title", chat.lang, words=" ".join(words))
        if not events:
            return Reply(t("search.none", chat.lang, words=esc(" ".join(words))))
        return self._reply(title, events, total, page, "search", " ".join(words), lang=chat.lang)

    def cmd_event(self, argument: str, page: int, chat: Chat) -> Reply:
        number = argument.strip().lstrip("#")
        if not _NUMBER.fullmatch(number):
            return Reply(t("event.usage", chat.lang))
        event = self.store.event(int(number))
        if event is None:
            return Reply(t("event.none", chat.lang, number=esc(clip(argument, 20))))
        sources = self.store.sources([event["key"]])[event["key"]]
        if chat.lang == "uk":
            event = self._in_ukrainian([event])[0]
        pages = render_event_pages(event, sources, chat.lang)
        page = min(page, len(pages) - 1)
        buttons = self._buttons("event", str(event["id"]), page, len(pages), 1)
        return Reply(pages[page], buttons)

    def cmd_channel(self, argument: str, page: int, chat: Chat) -> Reply:
        return Reply(t("channel.usage", chat.lang))

    def inline_events(self, query: str, lang: str = "en", limit: int = 10) -> list[dict[str, Any]]:
        """Events for an inline query, read as a question: a place, a day ("2022-03-01",
        "1 March"), both, a kind after them; words to search for otherwise; nothing typed yet,
        the newest day's main events."""
        query = query.strip()[:MAX_ARGUMENT]
        events = self._inline_events(query, limit)
        return self._in_ukrainian(events) if lang == "uk" and events else events

    def _inline_events(self, query: str, limit: int) -> list[dict[str, Any]]:
        if not query:
            return self.store.find_events(limit=limit)[0]
        try:
            asked = self._query(query)
        except ArgumentError:  # a range longer than a year: read the words instead
            asked = Query(query)
        days = asked.days or (asked.on(asked.choices[0]).days if asked.choices else None)
        place = self._lookup(asked.place) if asked.place else None
        if place is not None or (days is not None and not asked.place):
            kind = EventKind(asked.kind, asked.target, asked.killed)
            start, end = (days.start, days.end) if days else (None, None)
            return self.store.find_events(place, start, end, limit, kind=kind)[0]
        words = [w[:30] for w in re.findall(r"\w+", query)][:6]
        return self.store.search(words, limit) if words else []

    # --- shared steps -------------------------------------------------------------------------

    def _unregistered(self, name: str, argument: str, page: int, chat: Chat) -> Reply:
        """/e835, /Kharkiv, or a typo: "did you mean /city?"."""
        short = _SHORT_EVENT.fullmatch(name)
        if short:
            return self.cmd_event(short.group(1), page, chat)
        place = self.gazetteer.lookup(name)
        if place is not None:
            return self.cmd_city(f"{place.name} {argument}".strip(), page, chat)
        names = [c.name for c in registry.COMMANDS]
        close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
        shown = esc(clip(name, 32))
        if close:
            suggestion = esc(f"/{close[0]} {argument}".strip())
            data = self._data(0, close[0], argument)
            return Reply(
                t("unknown.suggest", chat.lang, name=shown, suggestion=suggestion),
                [[(f"/{close[0]}", data)]] if argument else [],
            )
        return Reply(t("unknown.command", chat.lang, name=shown))

    def _query(self, text: str) -> Query:
        last = self.store.last_date()
        return read_query(text, self.today(), last.year if last else self.today().year, last)

    def _year(self) -> int:
        """Year for dates typed without one: the newest year with events, else this year."""
        last = self.store.last_date()
        return last.year if last else self.today().year

    def _lookup(self, name: str) -> Place | None:
        town, _, qualifier = name.partition(",")
        oblast = self.gazetteer.lookup(qualifier) if qualifier.strip() else None
        if oblast is not None and oblast.is_ua_oblast:
            # "Ivanivka, Kherson Oblast": the namesake in that oblast (a choice button sends this)
            place = self.gazetteer.namesake_in(town.strip(), {oblast.admin1})
            if place is not None:
                return place
        for candidate in place_names(name):
            place = self.gazetteer.lookup(candidate)
            if place is not None:
                return place
        return None

    def _place(self, name: str, lang: str = "en") -> Place | Reply:
        place = self._lookup(name)
        if place is not None:
            return self._which(name, place, lang)
        suggestions = self.gazetteer.suggest(place_names(name)[-1])
        shown = esc(clip(name, 60))
        if not suggestions:
            return Reply(t("no.place", lang, name=shown))
        names = f" {t('or', lang)} ".join(f"<b>{esc(p.name)}</b>" for p in suggestions)
        buttons = [[(f"{p.name}?", self._data(0, "city", p.name))] for p in suggestions]
        return Reply(t("no.place.suggest", lang, name=shown, names=names), buttons)

    def _which(self, name: str, place: Place, lang: str) -> Place | Reply:
        """ "Which Ivanivka?": when several settlements of the name have events and the user
        named no oblast, a button for each (oblast and raion), most populous first."""
        if "," in name or place.kind != "city" or place.country != "UA":
            return place
        namesakes = self.gazetteer.namesakes(place.name)
        shown = (
            self.store.places_with_shown_events([p.id for p in namesakes]) if namesakes else set()
        )
        choices = [p for p in namesakes if p.id in shown][:_MAX_NAMESAKES]
        if len(choices) < 2:
            return place
        buttons = [
            [(_namesake_label(p, lang), self._data(0, "city", f"{p.name}, {p.admin1_name}"))]
            for p in choices
        ]
        return Reply(t("which.namesake", lang, name=esc(place.name)), buttons)

    def _answer(
        self, command: str, page: int, place: Place | None, query: Query, lang: str = "en"
    ) -> Reply:
        if query.choices:
            return self._choose(command, query, place, lang)
        return self._page(command, page, place, query, lang)

    def _choose(self, command: str, query: Query, place: Place | None, lang: str = "en") -> Reply:
        """ "2/3/2022": two buttons, 2 March or 3 February."""
        options = []
        for day in query.choices:
            argument = " ".join(
                p for p in (place.name if place else "", day.isoformat(), query.filters) if p
            )
            options.append((day, self._data(0, command, argument)))
        return render_choice(options, lang)

    def _page(
        self, command: str, page: int, place: Place | None, query: Query, lang: str = "en"
    ) -> Reply:
        days = query.days
        start, end = (days.start, days.end) if days else (None, None)
        kind = EventKind(query.kind, query.target, query.killed)
        events, total = self.store.find_events(place, start, end, PAGE_SIZE, page * PAGE_SIZE, kind)
        where = self._name(place, lang) if place else t("events", lang)
        what = f" · {query.filters}" if query.filters else ""
        when = f" {t('events.on', lang)} {days.label(lang)}" if days else ""
        if not events:
            scope = t("events.in", lang, place=place.name) if place else t("events.anywhere", lang)
            message = t("events.none", lang, what=what.replace(" · ", " "), scope=scope, when=when)
            return self._empty(place, days, message, lang)
        # The buttons carry a canonical, short form of the query, so every page asks the same.
        span = days.canonical() if days else ""
        name = place.name if place else ""
        parts = (name, span) if command == "city" else (span, name)
        canonical = " ".join(p for p in (*parts, query.filters) if p)
        note = ""
        if days and days.newest:
            note = t("note.last_week", lang, day=catalogue.day(days.newest, lang))
        title = f"{where}{what}{when}"
        reply = self._reply(title, events, total, page, command, canonical, note, lang)
        pictures = [
            (t("picture.map", lang), self._data(0, "map", canonical)),
            (t("picture.chart", lang), self._data(0, "chart", canonical)),
        ]
        return Reply(reply.text, [*reply.buttons, pictures])

    def _empty(self, place: Place | None, days: Any, message: str, lang: str = "en") -> Reply:
        text = esc(message)
        buttons: list[list[tuple[str, str]]] = []
        if days is not None:
            nearest = self.store.nearest_dates(place, days.start)
            for day in nearest:
                arg = f"{place.name} {day.isoformat()}" if place else day.isoformat()
                command = "city" if place else "date"
                shown = day_label(day.isoformat(), lang=lang)
                buttons.append([(shown, self._data(0, command, arg))])
            if nearest:
                text += t("events.nearest", lang) + ", ".join(
                    day_label(d.isoformat(), lang=lang) for d in nearest
                )
        else:
            busiest = [name for name, _ in self.store.places_with_events(5)]
            if busiest:
                text += t("events.places", lang) + esc(", ".join(busiest))
        return Reply(text, buttons)

    def _reply(
        self,
        title: str,
        events: list[dict[str, Any]],
        total: int,
        page: int,
        command: str,
        argument: str,
        note: str = "",
        lang: str = "en",
    ) -> Reply:
        sources = self.store.sources([e["key"] for e in events])
        if lang == "uk":
            events = self._in_ukrainian(events)
        pages = max(1, -(-total // PAGE_SIZE))
        heading = f"{title} — {catalogue.count(total, lang)}"
        if pages > 1:
            heading += ", " + t("events.page", lang, page=page + 1, pages=pages)
        parts = render_pages(heading, events, sources, note, lang)
        part = min(getattr(page, "part", 0), len(parts) - 1)
        return Reply(
            parts[part], self._list_buttons(command, argument, page, part, len(parts), total)
        )

    def _name(self, place: Place, lang: str) -> str:
        """A place's name for a heading: the Ukrainian one for Ukrainian readers."""
        if lang != "uk":
            return place.name
        names = self.store.cyrillic_names([place.id]).get(place.id, [])
        return catalogue.ukrainian_name(names) or catalogue.label(place.name, lang)

    def _in_ukrainian(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The events with their places' Ukrainian names, where the gazetteer has them."""
        names = self.store.cyrillic_names(sorted({e["place_id"] for e in events}))
        return [
            {**e, "place_name_uk": catalogue.ukrainian_name(names.get(e["place_id"], []))}
            for e in events
        ]

    def _data(self, page: int | str, command: str, argument: str) -> str:
        """A button's callback data; an argument too long for Telegram's 64 bytes is kept here
        and the button carries its key."""
        data = f"pg|{page}|{command}|{argument}"
        if len(data.encode()) <= BUTTON_BYTES:
            return data
        key = "#" + hashlib.sha1(argument.encode()).hexdigest()[:10]
        if len(self._stash) > 10_000:
            self._stash.clear()
        self._stash[key] = argument
        return f"pg|{page}|{command}|{key}"

    def _list_buttons(
        self, command: str, argument: str, page: int, part: int, parts: int, total: int
    ) -> list[list[tuple[str, str]]]:
        """◀ ▶ through a list's pages and the parts of a page that did not fit one message: the
        previous part, else the last part of the previous page; the next part, else the next
        page."""
        row = []
        if part > 0:
            row.append(("◀", self._data(Page(page, part - 1).token(), command, argument)))
        elif page > 0:
            row.append(("◀", self._data(Page(page - 1, LAST_PART).token(), command, argument)))
        if part + 1 < parts:
            row.append(("▶", self._data(Page(page, part + 1).token(), command, argument)))
        elif (page + 1) * PAGE_SIZE < total:
            row.append(("▶", self._data(page + 1, command, argument)))
        return [row] if row else []

    def _buttons(
        self, command: str, argument: str, page: int, total: int, size: int
    ) -> list[list[tuple[str, str]]]:
        row = []
        if page > 0:
            row.append(("◀", self._data(page - 1, command, argument)))
        if (page + 1) * size < total:
            row.append(("▶", self._data(page + 1, command, argument)))
        return [row] if row else []


_MAX_NAMESAKES = 6


def _namesake_label(place: Place, lang: str) -> str:
    """ "Kherson Oblast (Beryslavskyi raion)" on a button that picks one of several namesakes."""
    oblast = label(place.admin1_name, lang)
    return f"{oblast} ({place.raion} raion)" if place.raion else oblast
