"""The bot's commands as plain functions: text in, Reply out. Telegram and the console share
them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.args import MAX_ARGUMENT, ArgumentError, DateRange, parse_date_range, split_place_and_dates
from bot.render import Reply, clip, day_label, esc, fit, link, render_event, render_events
from store.db import Store
from store.models import Place

PAGE_SIZE = 5
COMMANDS: list[tuple[str, str, str]] = [
    ("city", "Events in a place, optionally on a day or range", "/city Kharkiv 1-3 March 2022"),
    ("date", "Events on a day or range, optionally in a place", "/date 2022-03-02 Kharkiv"),
    ("latest", "The newest events (up to 20)", "/latest 5"),
    ("search", "Events whose text has all these words", "/search hospital"),
    ("event", "One event in full: every source and its sentence", "/event 12"),
    ("sources", "The articles indexed", "/sources"),
    ("stats", "What the database holds", "/stats"),
    ("help", "This list", "/help"),
]
# ASCII digits, and few of them: "²" is a digit to str.isdigit but not to int().
_NUMBER = re.compile(r"[0-9]{1,9}")
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.S)


def parse_command(text: str) -> tuple[str, str, str] | None:
    """(command, bot name or "", argument) of "/city@Bot Kharkiv", or None for chatter."""
    m = _COMMAND.match(text.strip())
    if not m:
        return None
    return m.group(1).lower(), m.group(2) or "", " ".join((m.group(3) or "").split())


class Commands:
    """Every command's logic over one store; `today` is injected so tests can fix the clock."""

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today
        self.gazetteer = store.gazetteer()

    def handle(self, text: str) -> Reply | None:
        """The reply to one message; None for messages that are not commands."""
        parsed = parse_command(text)
        if parsed is None:
            return None
        name, _, argument = parsed
        return self.run(name, argument[:MAX_ARGUMENT], page=0)

    def run(self, name: str, argument: str, page: int) -> Reply:
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None:
            return Reply(f"I don't know /{esc(clip(name, 32))}. Send /help to see what I can do.")
        try:
            return handler(argument, page)
        except ArgumentError as exc:
            return Reply(esc(str(exc)))

    def callback(self, data: str) -> Reply:
        """A ◀ ▶ or suggestion button: "pg|<page>|<command>|<argument>"."""
        parts = data.split("|", 3)
        if len(parts) != 4 or parts[0] != "pg" or not _NUMBER.fullmatch(parts[1]):
            return Reply("That button has expired. Please send the command again.")
        return self.run(parts[2], parts[3], page=int(parts[1]))

    # --- commands -----------------------------------------------------------------------------

    def cmd_start(self, argument: str, page: int) -> Reply:
        return Reply(
            "I answer questions about events of the war in Ukraine, extracted from news articles,"
            " and I list the articles each event comes from.\n\n" + self.cmd_help("", 0).text
        )

    def cmd_help(self, argument: str, page: int) -> Reply:
        lines = ["<b>Commands</b>"]
        lines += [f"/{n} — {esc(d)}\n   e.g. <code>{esc(e)}</code>" for n, d, e in COMMANDS]
        lines.append(
            "\nDates: 2022-03-02, 2 March 2022, March 2, 2.03.2022 (day first), today, yesterday;"
            " ranges 2022-03-01..2022-03-03 or 1-3 March 2022. Places in any spelling: Kharkiv,"
            " Kharkov, Харків, Kharkiv oblast."
        )
        return Reply("\n".join(lines))

    def cmd_city(self, argument: str, page: int) -> Reply:
        if not argument:
            return Reply("Which place? For example: <code>/city Kharkiv</code>")
        name, days = split_place_and_dates(argument, self.gazetteer, self.today(), self._year())
        place = self._place(name)
        if isinstance(place, Reply):
            return place
        return self._page("city", argument, page, place, days)

    def cmd_date(self, argument: str, page: int) -> Reply:
        if not argument:
            return Reply("Which day? For example: <code>/date 2022-03-02</code>")
        name, days = split_place_and_dates(
            argument, self.gazetteer, self.today(), self._year(), dates_first=True
        )
        if days is None:
            days = parse_date_range(argument, self.today(), self._year())
        place = self._place(name) if name else None
        if isinstance(place, Reply):
            return place
        return self._page("date", argument, page, place, days)

    def cmd_latest(self, argument: str, page: int) -> Reply:
        if argument and not _NUMBER.fullmatch(argument):
            return Reply("Usage: <code>/latest</code> or <code>/latest 10</code> (up to 20).")
        wanted = max(1, min(int(argument or PAGE_SIZE), 20))
        remaining = max(0, wanted - page * PAGE_SIZE)
        events, total = self.store.find_events(
            limit=min(remaining, PAGE_SIZE), offset=page * PAGE_SIZE
        )
        total = min(total, wanted)
        return self._reply("Latest events", events, total, page, "latest", argument)

    def cmd_search(self, argument: str, page: int) -> Reply:
        words: list[str] = []
        for word in (w[:30] for w in re.findall(r"\w+", argument)):
            # Keep the query short enough to ride in a 64-byte button, so pages stay consistent.
            if len(" ".join([*words, word]).encode()) > 44:
                break
            words.append(word)
        if not words:
            return Reply("Search for what? For example: <code>/search hospital</code>")
        events = self.store.search(words, PAGE_SIZE, page * PAGE_SIZE)
        total = self.store.count_search(words)
        title = f"Events mentioning {' '.join(words)}"
        if not events:
            return Reply(f"No events mention <b>{esc(' '.join(words))}</b>. Try fewer words.")
        return self._reply(title, events, total, page, "search", " ".join(words))

    def cmd_event(self, argument: str, page: int) -> Reply:
        if not _NUMBER.fullmatch(argument.strip().lstrip("#")):
            return Reply("Usage: <code>/event 12</code> — the number shown under each event.")
        event = self.store.event(int(argument.strip().lstrip("#")))
        if event is None:
            return Reply(f"There is no event {esc(clip(argument, 20))}. Try /latest.")
        sources = self.store.sources([event["key"]])[event["key"]]
        return Reply(fit(render_event(event, sources, full=True)))

    def cmd_sources(self, argument: str, page: int) -> Reply:
        rows = self.store.articles(limit=PAGE_SIZE * 2, offset=page * PAGE_SIZE * 2)
        total = self.store.stats()["articles"]
        if not rows:
            return Reply("No articles are indexed yet. Run <code>sitrep index</code>.")
        lines = [f"<b>Indexed articles ({total})</b>"]
        for r in rows:
            label = link(r["url"], esc(clip(r["title"] or r["id"], 100)))
            when = day_label(r["published"]) if r["published"] else "date unknown"
            lines.append(
                f"• {label} — {esc(clip(r['publisher'] or r['id'], 60))}, {when},"
                f" {r['events']} events"
            )
        return Reply(
            fit("\n".join(lines)), self._buttons("sources", "", page, total, PAGE_SIZE * 2)
        )

    def cmd_stats(self, argument: str, page: int) -> Reply:
        s = self.store.stats()
        lines = [
            "<b>Database</b>",
            f"Articles: {s['articles']}",
            f"Events: {s['events']} ({s['multi_source_events']} told by several articles)",
            f"Places: {s['places']}",
            f"Dates: {day_label(s['first_date'])} – {day_label(s['last_date'])}"
            if s["first_date"]
            else "Dates: none yet",
        ]
        lines += [f"  {esc(t)}: {n}" for t, n in s["by_type"]]
        return Reply("\n".join(lines))

    def inline_events(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        """Events for an inline query: a place's newest, else a word search."""
        query = query.strip()[:MAX_ARGUMENT]
        if not query:
            return self.store.find_events(limit=limit)[0]
        place = self.gazetteer.lookup(query)
        if place is not None:
            return self.store.find_events(place, limit=limit)[0]
        words = [w[:30] for w in re.findall(r"\w+", query)][:6]
        return self.store.search(words, limit) if words else []

    # --- shared steps -------------------------------------------------------------------------

    def _year(self) -> int:
        """Year for dates typed without one: the newest year with events, else this year."""
        last = self.store.last_date()
        return last.year if last else self.today().year

    def _place(self, name: str) -> Place | Reply:
        place = self.gazetteer.lookup(name)
        if place is not None:
            return place
        suggestions = self.gazetteer.suggest(name)
        shown = esc(clip(name, 60))
        if not suggestions:
            return Reply(
                f"No place called '{shown}' that I know. Try /stats for the places I have."
            )
        names = " or ".join(f"<b>{esc(p.name)}</b>" for p in suggestions)
        buttons = [[(f"{p.name}?", f"pg|0|city|{p.name}")] for p in suggestions]
        return Reply(f"No place called '{shown}' — did you mean {names}?", buttons)

    def _page(
        self, command: str, argument: str, page: int, place: Place | None, days: DateRange | None
    ) -> Reply:
        start, end = (days.start, days.end) if days else (None, None)
        events, total = self.store.find_events(place, start, end, PAGE_SIZE, page * PAGE_SIZE)
        where = place.name if place else "Events"
        when = f" on {days.label()}" if days else ""
        if not events:
            scope = f"in {place.name}" if place else "anywhere"
            return self._empty(place, days, f"No events {scope}{when}.")
        # The buttons carry a canonical, short form of the query, so every page asks the same.
        span = f"{days.start}..{days.end}" if days else ""
        name = place.name if place else ""
        canonical = f"{name} {span}" if command == "city" else f"{span} {name}"
        return self._reply(f"{where}{when}", events, total, page, command, canonical.strip())

    def _empty(self, place: Place | None, days: DateRange | None, message: str) -> Reply:
        text = esc(message)
        buttons: list[list[tuple[str, str]]] = []
        if days is not None:
            nearest = self.store.nearest_dates(place, days.start)
            for day in nearest:
                arg = f"{place.name} {day.isoformat()}" if place else day.isoformat()
                command = "city" if place else "date"
                buttons.append([(day_label(day.isoformat()), f"pg|0|{command}|{arg}")])
            if nearest:
                text += " Nearest days with events: " + ", ".join(
                    day_label(d.isoformat()) for d in nearest
                )
        else:
            busiest = [name for name, _ in self.store.places_with_events()[:5]]
            if busiest:
                text += " Places with events: " + esc(", ".join(busiest))
        return Reply(text, buttons)

    def _reply(
        self,
        title: str,
        events: list[dict[str, Any]],
        total: int,
        page: int,
        command: str,
        argument: str,
    ) -> Reply:
        sources = self.store.sources([e["key"] for e in events])
        pages = max(1, -(-total // PAGE_SIZE))
        heading = f"{title} — {total} event{'s' if total != 1 else ''}"
        if pages > 1:
            heading += f", page {page + 1}/{pages}"
        text = render_events(heading, events, sources)
        return Reply(text, self._buttons(command, argument, page, total, PAGE_SIZE))

    @staticmethod
    def _buttons(
        command: str, argument: str, page: int, total: int, size: int
    ) -> list[list[tuple[str, str]]]:
        row = []
        if page > 0:
            row.append(("◀", f"pg|{page - 1}|{command}|{argument}"))
        if (page + 1) * size < total:
            row.append(("▶", f"pg|{page + 1}|{command}|{argument}"))
        return [row] if row else []
