"""Reports over many events: /stats totals, /export files, /sources. Mixed into Commands,
which provides the store, the query reading and the place lookup."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from bot import catalogue
from bot.catalogue import t
from bot.render import Reply, clip, day_label, esc, fit, link, render_totals
from store.export import Scope, export_events

if TYPE_CHECKING:
    from bot.commands import Chat, Commands

    _Base = Commands
else:
    _Base = object

PAGE = 10


class ReportCommands(_Base):
    """/sources, /stats and /export."""

    def cmd_sources(self, argument: str, page: int, chat: Chat) -> Reply:
        rows = self.store.articles(limit=PAGE, offset=page * PAGE)
        total, lang = self.store.stats()["articles"], chat.lang
        if not rows:
            return Reply(t("sources.none", lang))
        lines = [f"<b>{t('sources.title', lang, n=total)}</b>"]
        for r in rows:
            title = link(r["url"], esc(clip(r["title"] or r["id"], 100)))
            when = day_label(r["published"], lang=lang)
            publisher = esc(clip(r["publisher"] or r["id"], 60))
            lines.append(f"• {title} — {publisher}, {when}, {catalogue.count(r['events'], lang)}")
        return Reply(fit("\n".join(lines)), self._buttons("sources", "", page, total, PAGE))

    def cmd_stats(self, argument: str, page: int, chat: Chat) -> Reply:
        """/stats: the database and its busiest places; /stats <place> <dates>: totals."""
        lang = chat.lang
        if not argument:
            s = self.store.stats()
            first, last = (
                day_label(s["first_date"], lang=lang),
                day_label(s["last_date"], lang=lang),
            )
            lines = [
                f"<b>{t('db.title', lang)}</b>",
                t("db.articles", lang, n=s["articles"]),
                t("db.events", lang, n=s["events"], multi=s["multi_source_events"]),
                t("db.dates", lang, first=first, last=last)
                if s["first_date"]
                else t("db.nodates", lang),
            ]
            if s["events"]:
                lines.append(t("db.places", lang, n=s["places"]))
                lines += [f"  {esc(n)}: {c}" for n, c in self.store.places_with_events(10)]
                lines.append(t("db.hint", lang))
            return Reply("\n".join(lines))
        query = self._query(argument)
        place = self._place(query.place, chat.lang) if query.place else None
        if isinstance(place, Reply):
            return place
        if query.choices:
            return self._choose("stats", query, place, chat.lang)
        start, end = (query.days.start, query.days.end) if query.days else (None, None)
        totals = self.store.totals(place, start, end)
        where = place.name if place else t("events", chat.lang)
        when = query.days.label(chat.lang) if query.days else ""
        return Reply(render_totals(where, when, totals, chat.lang))

    def cmd_export(self, argument: str, page: int, chat: Chat) -> Reply:
        """/export Kharkiv March 2022 [geojson]: the events as a file, `sitrep export`'s columns."""
        words = argument.split()
        fmt = "geojson" if any(w.lower() == "geojson" for w in words) else "csv"
        query = self._query(" ".join(w for w in words if w.lower() not in ("geojson", "csv")))
        place = self._place(query.place, chat.lang) if query.place else None
        if isinstance(place, Reply):
            return place
        if query.choices:
            return self._choose("export", query, place, chat.lang)
        days = query.days
        scope = Scope(
            days.start.isoformat() if days else None,
            days.end.isoformat() if days else None,
            place.id if place and not place.is_ua_oblast else None,
            place.admin1 if place and place.is_ua_oblast else None,
        )
        stream = io.StringIO()
        total = export_events(self.store, stream, fmt, scope=scope)
        if not total:
            return Reply(t("export.none", chat.lang))
        stem = "-".join(
            p for p in (place.name if place else "all", days.canonical() if days else "") if p
        )
        name = re.sub(r"[^\w.-]+", "_", f"sitrep-{stem}") + (
            ".geojson" if fmt == "geojson" else ".csv"
        )
        shown = catalogue.count(total, chat.lang)
        caption = t("export.caption", chat.lang, count=shown, format=fmt.upper())
        return Reply(esc(caption), document=(name, stream.getvalue().encode("utf-8")))
