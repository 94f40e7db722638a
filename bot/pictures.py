"""/map and /chart: the events of a place, an oblast or the whole country as a picture. Mixed
into Commands, which reads the question (the same parsers as /city and /date) and looks the
place up; this module turns the store's rows into a MapSpec or a ChartSpec (bot/figures.py)
and a caption. Drawing happens where the reply is sent (bot/drawing.py).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot import catalogue
from bot.boundaries import boundaries
from bot.catalogue import t
from bot.figures import ChartSpec, MapSpec, Marker, Picture, Series
from bot.kinds import kind_label
from bot.palette import colour
from bot.query import Query
from bot.render import CAPTION_LIMIT, Reply, Size, clip, day_label, esc, measure
from store.db import EventKind
from store.models import Place

if TYPE_CHECKING:
    from bot.commands import Chat, Commands

    _Base = Commands
else:
    _Base = object

MAX_MARKERS = 5000  # the most important events of a range; the title says when there are more
LEGEND_KINDS = 8  # kinds named in a legend; the rest are "other kinds", in grey
OTHER = "#9a9a9a"
NAMES = 6  # places named on a map: those with the most killed and injured, then events
CAPTION_EVENTS = 8
CITY_SPAN = 1.1  # degrees of latitude each side of a town asked for: its neighbours too
OBLAST_MARGIN = 0.35  # of an oblast's size, each side
LONGEST_CHART = 366  # days; a place's whole history longer than that shows its last year
# Where an event's position is only an area's: a hromada's centroid, an oblast, a raion.
_AREA_SOURCES = frozenset({"hromada"})
_AREA_KINDS = frozenset({"oblast", "raion"})


class PictureCommands(_Base):
    """/map and /chart."""

    def cmd_map(self, argument: str, page: int, chat: Chat) -> Reply:
        asked = self._picture_query("map", argument, chat)
        if isinstance(asked, Reply):
            return asked
        place, query = asked
        days = query.days
        start, end = (days.start, days.end) if days else (None, None)
        kind = EventKind(query.kind, query.target, query.killed)
        events, total = self.store.picture_events(place, start, end, kind, MAX_MARKERS)
        if not events:
            return self._no_picture(place, query, chat.lang)
        spec = self._map_spec(place, query, events, total, chat.lang)
        key = ("map", self._canonical(place, query), chat.lang, self.store.meta("seq") or "0")
        shown = events[:CAPTION_EVENTS]
        if chat.lang == "uk":
            shown = self._in_ukrainian(shown)
        caption = map_caption(self._title(place, query, chat.lang), shown, total, chat.lang)
        return Reply(caption, picture=Picture(key, _file_name("map", place, query), spec, chat.lang))

    def cmd_chart(self, argument: str, page: int, chat: Chat) -> Reply:
        asked = self._picture_query("chart", argument, chat)
        if isinstance(asked, Reply):
            return asked
        place, query = asked
        days = query.days
        start, end = (days.start, days.end) if days else (None, None)
        kind = EventKind(query.kind, query.target, query.killed)
        rows = self.store.daily_kinds(place, start, end, kind)
        if not rows:
            return self._no_picture(place, query, chat.lang)
        spec = _chart_spec(rows, start, end, self._title(place, query, chat.lang), chat.lang)
        key = ("chart", self._canonical(place, query), chat.lang, self.store.meta("seq") or "0")
        total, killed, injured = (sum(r[i] for r in rows) for i in (5, 6, 7))
        title = esc(clip(self._title(place, query, chat.lang), 200))
        bounds = t("chart.caption", chat.lang, killed=killed, injured=injured)
        text = f"<b>{title}</b> — {catalogue.count(total, chat.lang)}\n{esc(bounds)}"
        return Reply(text, picture=Picture(key, _file_name("chart", place, query), spec, chat.lang))

    # --- steps --------------------------------------------------------------------------------

    def _picture_query(
        self, command: str, argument: str, chat: Chat
    ) -> tuple[Place | None, Query] | Reply:
        """The place and the question, read as /city and /date read them; "all" is the whole
        country."""
        words = [w for w in argument.split() if w.lower() not in ("all", "ukraine", "усі")]
        query = self._query(" ".join(words))
        place = self._place(query.place, chat.lang) if query.place else None
        if isinstance(place, Reply):
            return place
        if query.choices:
            return self._choose(command, query, place, chat.lang)
        return place, query

    def _no_picture(self, place: Place | None, query: Query, lang: str) -> Reply:
        """No empty picture: the words /city and /date use, with the nearest days to try."""
        days = query.days
        scope = t("events.in", lang, place=place.name) if place else t("events.anywhere", lang)
        when = f" {t('events.on', lang)} {days.label(lang)}" if days else ""
        what = f" {query.filters}" if query.filters else ""
        message = t("events.none", lang, what=what, scope=scope, when=when)
        return self._empty(place, days, message, lang)

    def _canonical(self, place: Place | None, query: Query) -> str:
        span = query.days.canonical() if query.days else ""
        return " ".join(p for p in (place.name if place else "", span, query.filters) if p)

    def _title(self, place: Place | None, query: Query, lang: str) -> str:
        where = self._name(place, lang) if place else t("picture.ukraine", lang)
        what = f" · {query.filters}" if query.filters else ""
        when = f" · {query.days.label(lang)}" if query.days else ""
        return f"{where}{what}{when}"

    def _map_spec(
        self,
        place: Place | None,
        query: Query,
        events: list[dict[str, Any]],
        total: int,
        lang: str,
    ) -> MapSpec:
        labels = [kind_label(e, "en", with_target=False) for e in events]
        counts = Counter(labels)
        named = [label for label, _ in counts.most_common(LEGEND_KINDS)]
        colours = {label: colour(label) for label in named}
        markers: list[Marker] = []
        shaded: set[str] = set()
        weight: dict[tuple[float, float, str], int] = defaultdict(int)
        told: Counter[tuple[float, float, str]] = Counter()
        for event, label in zip(events, labels, strict=True):
            position = _position(event)
            if position is None:
                continue
            lon, lat, approximate = position
            hurt = (event["killed_low"] or 0) + (event["injured_low"] or 0)
            markers.append(Marker(lon, lat, colours.get(label, OTHER), hurt, approximate))
            if event["place_kind"] == "oblast" and event["country"] == "UA":
                shaded.add(event["admin1"])
                continue  # its name would label a point the event does not have
            weight[(lon, lat, event["place_name"])] += hurt * 10 + 1
            told[(lon, lat, event["place_name"])] += 1
        legend = [(_plain_kind(label, events, labels, lang), colours[label]) for label in named]
        if len(counts) > len(named):
            legend.append((t("map.other", lang), OTHER))
        title = f"{self._title(place, query, lang)} · {catalogue.count(total, lang)}"
        if total > len(events):
            title += " " + t("map.shown", lang, shown=f"{len(events):,}")
        unplaced = len(events) - len(markers)
        credit = t("picture.credit", lang)
        if unplaced:
            credit = t("map.unplaced", lang, n=unplaced) + " · " + credit
        biggest = sorted(weight.items(), key=lambda item: -item[1])[:NAMES]
        return MapSpec(
            markers=tuple(markers),
            view=_view(place, markers),
            title=title,
            legend=tuple(legend),
            approximate_note=t("map.approximate", lang) if any(m.approximate for m in markers)
            else "",
            sizes_note=t("map.sizes", lang) if any(m.casualties for m in markers) else "",
            # Events of one place share its point: the count says how many lie there.
            names=tuple(
                (lon, lat, name if told[(lon, lat, name)] == 1 else f"{name} · {told[(lon, lat, name)]}")
                for (lon, lat, name), _ in biggest
            ),
            shaded=tuple(sorted(shaded)),
            shaded_note=t("map.shaded", lang) if shaded else "",
            credit=credit,
            lang=lang,
        )  # fmt: skip


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


def _position(event: dict[str, Any]) -> tuple[float, float, bool] | None:
    """(longitude, latitude, only an area's position?) of an event; None when it has no point
    on the map (the whole country, a region abroad without coordinates)."""
    area = (
        event["coord_source"] in _AREA_SOURCES
        or event["place_kind"] in _AREA_KINDS
        or event["place_precision"] == "oblast"
    )
    if event["latitude"] is not None and event["longitude"] is not None:
        return float(event["longitude"]), float(event["latitude"]), area
    oblast = boundaries().oblasts.get(event["admin1"] or "")
    if event["country"] == "UA" and oblast is not None:
        lon, lat = oblast.centre
        return lon, lat, True
    return None


def _view(place: Place | None, markers: list[Marker]) -> tuple[float, float, float, float]:
    """(west, south, east, north): around the town asked for, the oblast asked for, or the
    whole country; a place abroad or without a point, around its markers."""
    shapes = boundaries()
    oblast = shapes.oblasts.get(place.admin1) if place and place.is_ua_oblast else None
    if oblast is not None:
        west, south, east, north = oblast.bounds
        dx, dy = (east - west) * OBLAST_MARGIN, (north - south) * OBLAST_MARGIN
        return west - dx, south - dy, east + dx, north + dy
    if place is not None and place.latitude is not None and place.longitude is not None:
        lat, lon = place.latitude, place.longitude
        return lon - CITY_SPAN * 1.5, lat - CITY_SPAN, lon + CITY_SPAN * 1.5, lat + CITY_SPAN
    west, south, east, north = shapes.country.bounds
    if place is not None and markers:
        west = min(west, *(m.lon for m in markers))
        east = max(east, *(m.lon for m in markers))
        south = min(south, *(m.lat for m in markers))
        north = max(north, *(m.lat for m in markers))
    return west - 0.3, south - 0.3, east + 0.3, north + 0.3


def _plain_kind(label_en: str, events: list[dict[str, Any]], labels: list[str], lang: str) -> str:
    """A legend's label in the reader's language (the English one is the palette's key)."""
    if lang == "en":
        return label_en
    first = events[labels.index(label_en)]
    return kind_label(first, lang, with_target=False)


def _caption_line(event: dict[str, Any], lang: str) -> str:
    name = (event.get("place_name_uk") if lang == "uk" else None) or event["place_name"]
    parts = [clip(name, 60), day_label(event["date"], lang=lang), kind_label(event, lang)]
    if event["killed_low"]:
        parts.append(f"{event['killed_low']} {t('killed', lang)}")
    return esc(" · ".join(parts)) + f" /e{event['id']}"


def _chart_spec(
    rows: list[tuple[str, str, str, str, str, int, int, int]],
    start: date | None,
    end: date | None,
    title: str,
    lang: str,
) -> ChartSpec:
    """Events per day by kind, killed and injured per day, over every day of the range (a day
    without events is a gap, not skipped)."""
    first = start or date.fromisoformat(min(r[0] for r in rows))
    last = end or date.fromisoformat(max(r[0] for r in rows))
    first = max(first, last - timedelta(days=LONGEST_CHART - 1))
    days = tuple(first + timedelta(days=n) for n in range((last - first).days + 1))
    index = {d.isoformat(): i for i, d in enumerate(days)}
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0] * len(days))
    names: dict[str, str] = {}
    killed, injured = [0] * len(days), [0] * len(days)
    for day, _type, sub_type, summary, target, n, dead, hurt in rows:
        if day not in index:
            continue
        i = index[day]
        event = {"sub_event_type": sub_type, "summary": summary, "target": target}
        label = kind_label(event, "en", with_target=False)
        names.setdefault(label, kind_label(event, lang, with_target=False))
        per_kind[label][i] += n
        killed[i] += dead
        injured[i] += hurt
    ranked = sorted(per_kind, key=lambda label: -sum(per_kind[label]))
    series = [
        Series(names[label], colour(label), tuple(per_kind[label]))
        for label in ranked[:LEGEND_KINDS]
    ]
    rest = [sum(per_kind[label][i] for label in ranked[LEGEND_KINDS:]) for i in range(len(days))]
    if any(rest):
        series.append(Series(t("map.other", lang), OTHER, tuple(rest)))
    total = sum(sum(s.counts) for s in series)
    return ChartSpec(
        days=days,
        series=tuple(series),
        killed=tuple(killed),
        injured=tuple(injured),
        title=f"{title} · {catalogue.count(total, lang)}",
        events_label=t("chart.events", lang),
        casualties_label=t("chart.casualties", lang),
        killed_label=t("chart.killed", lang),
        injured_label=t("chart.injured", lang),
        credit=t("picture.credit", lang),
    )


def _file_name(what: str, place: Place | None, query: Query) -> str:
    stem = "-".join(
        p for p in (what, place.name if place else "ukraine", query.days.canonical() if query.days
                    else "", query.filters) if p
    )  # fmt: skip
    return re.sub(r"[^\w.-]+", "_", f"sitrep-{stem}") + ".png"
