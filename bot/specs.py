"""What a map or a chart shows, read from the database: an Order in, a MapSpec or a ChartSpec
(bot/figures.py) out. It runs where the picture is drawn (bot/drawing.py), off the bot's event
loop: a map reads up to 5,000 events and a chart every event of its range, which takes the
store a few hundred milliseconds on a large database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from bot import catalogue
from bot.boundaries import boundaries
from bot.catalogue import t
from bot.figures import ChartSpec, MapSpec, Marker, Order, Series
from bot.kinds import kind_label, kind_of
from bot.palette import colour
from store.db import Store
from store.models import Place

MAX_MARKERS = 5000  # the most important events of a range; the title says when there are more
LEGEND_KINDS = 8  # kinds named in a legend; the rest are "other kinds", in grey
OTHER = "#9a9a9a"
NAMES = 6  # places named on a map: those with the most killed and injured, then events
CITY_SPAN = 1.1  # degrees of latitude each side of a town asked for: its neighbours too
OBLAST_MARGIN = 0.35  # of an oblast's size, each side
LONGEST_CHART = 366  # days; a place's whole history longer than that shows its last year
# Where an event's position is only an area's: a hromada's centroid, an oblast, a raion.
_AREA_SOURCES = frozenset({"hromada"})
_AREA_KINDS = frozenset({"oblast", "raion"})

Point = tuple[float, float, int]  # longitude, latitude, place id


def spec_of(store: Store, order: Order) -> MapSpec | ChartSpec:
    return map_spec(store, order) if order.what == "map" else chart_spec(store, order)


def map_spec(store: Store, order: Order) -> MapSpec:
    """One marker per event, coloured by kind and sized by killed + injured; the legend, the
    names of the biggest places, the view."""
    lang = order.lang
    events, total = store.picture_events(order.place, order.start, order.end, order.kind)
    labels = [kind_label(e, "en", with_target=False) for e in events]
    counts = Counter(labels)
    named = [label for label, _ in counts.most_common(LEGEND_KINDS)]
    colours = {label: colour(label) for label in named}
    markers: list[Marker] = []
    shaded: set[str] = set()
    weight: dict[Point, int] = defaultdict(int)
    told: Counter[Point] = Counter()
    place_names: dict[int, str] = {}
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
        weight[(lon, lat, event["place_id"])] += hurt * 10 + 1
        told[(lon, lat, event["place_id"])] += 1
        place_names[event["place_id"]] = event["place_name"]
    legend = [(_plain_kind(label, events, labels, lang), colours[label]) for label in named]
    if len(counts) > len(named):
        legend.append((t("map.other", lang), OTHER))
    title = f"{order.title} · {catalogue.count(total, lang)}"
    if total > len(events):
        title += " " + t("map.shown", lang, shown=f"{len(events):,}")
    credit = t("picture.credit", lang)
    if len(events) > len(markers):
        credit = t("map.unplaced", lang, n=len(events) - len(markers)) + " · " + credit
    biggest = [point for point, _ in sorted(weight.items(), key=lambda item: -item[1])[:NAMES]]
    if lang == "uk":  # the gazetteer's Ukrainian names, where it has them
        cyrillic = store.cyrillic_names([place for _, _, place in biggest])
        for place, names in cyrillic.items():
            place_names[place] = catalogue.ukrainian_name(names) or place_names[place]
    return MapSpec(
        markers=tuple(markers),
        view=_view(order.place, markers),
        title=title,
        legend=tuple(legend),
        approximate_note=t("map.approximate", lang) if any(m.approximate for m in markers) else "",
        sizes_note=t("map.sizes", lang) if any(m.casualties for m in markers) else "",
        # Events of one place share its point: the count says how many lie there.
        names=tuple(
            (lon, lat, _counted(place_names[place], told[(lon, lat, place)]))
            for lon, lat, place in biggest
        ),
        shaded=tuple(sorted(shaded)),
        shaded_note=t("map.shaded", lang) if shaded else "",
        credit=credit,
        lang=lang,
    )


def _counted(name: str, n: int) -> str:
    return name if n == 1 else f"{name} · {n}"


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
    return kind_label(events[labels.index(label_en)], lang, with_target=False)


def chart_spec(store: Store, order: Order) -> ChartSpec:
    """Events per day by kind, killed and injured per day as lower bounds over distinct
    events, over every day of the range (a day without events is a gap, not skipped)."""
    lang = order.lang
    rows = store.daily_kinds(order.place, order.start, order.end, order.kind)
    first = order.start or date.fromisoformat(min((r[0] for r in rows), default="2022-02-24"))
    last = order.end or date.fromisoformat(max((r[0] for r in rows), default="2022-02-24"))
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
        row = kind_of(sub_type or "", f"{summary or ''} {target or ''}")  # once a row: the cost
        label = row.en if row else sub_type or ""
        names.setdefault(label, row.name(lang) if row else label)
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
    bounds = t("chart.bounds", lang, killed=sum(killed), injured=sum(injured))
    return ChartSpec(
        days=days,
        series=tuple(series),
        killed=tuple(killed),
        injured=tuple(injured),
        title=f"{order.title} · {catalogue.count(total, lang)} · {bounds}",
        events_label=t("chart.events", lang),
        casualties_label=t("chart.casualties", lang),
        killed_label=t("chart.killed", lang),
        injured_label=t("chart.injured", lang),
        credit=t("picture.credit", lang),
    )
