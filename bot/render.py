"""Events to Telegram HTML (and plain text for the console): escaping and the 4096 limit live here.

Every piece of text that came from an article or a user goes through `esc`; every reply goes
through `fit`, which counts in UTF-16 code units as Telegram does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TELEGRAM_LIMIT = 4096
GREETING = (
    "Hello! I answer questions about events of the war in Ukraine from news articles.\n"
    "1. Ask: <code>/city@{bot} Kharkiv</code> or <code>/date@{bot} 2 March 2022</code>\n"
    "2. An administrator subscribes the group to new events:"
    " <code>/subscribe@{bot} Kharkiv oblast</code>\n"
    "/help@{bot} lists the rest."
)
SUMMARY_CHARS = 320
MAX_SOURCES_SHOWN = 8


@dataclass
class Reply:
    """What the bot sends: HTML text and rows of (label, callback data) buttons, or a file with
    the text as its caption."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    document: tuple[str, bytes] | None = None  # (file name, content): sent as a file


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clip(text: str, limit: int) -> str:
    """Shorten plain text (before escaping) at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def fit(text: str, limit: int = TELEGRAM_LIMIT) -> str:
    """A reply that Telegram accepts whatever the data: cut between lines, tags kept whole.

    Relies on no tag spanning lines, which holds because every text is clipped to one line
    before it is escaped and wrapped.
    """
    if utf16_len(text) <= limit:
        return text
    kept: list[str] = []
    used = 0
    note = "\n… (shortened to fit one message)"
    for line in text.split("\n"):
        size = utf16_len(line) + 1
        if used + size + utf16_len(note) > limit:
            break
        kept.append(line)
        used += size
    return "\n".join(kept) + note


def day_label(value: str | None, precision: str = "day") -> str:
    if not value:
        return "date unknown"
    label = date.fromisoformat(value).strftime("%a %-d %b %Y")
    return f"around {label}" if precision == "approximate" else label


_UNSTATED = "unstated"  # "dozens were wounded": the text says there were some, not how many


def _count(low: int | None, high: int | None, qualifier: str | None) -> str:
    if not qualifier:
        return ""
    if qualifier == "vague":
        return _UNSTATED
    if low is not None and high is not None and low != high:
        return f"{low}–{high}"
    value = low if low is not None else high
    prefix = {"at_least": "at least ", "approximate": "about "}.get(qualifier, "")
    if low is None and high is not None:
        prefix = "up to "
    return f"{prefix}{value}"


def casualties(event: dict[str, Any]) -> str:
    parts = []
    for name in ("killed", "injured"):
        figure = _count(event[f"{name}_low"], event[f"{name}_high"], event[f"{name}_qualifier"])
        if figure == _UNSTATED:
            parts.append(f"{name}: number not given")
        elif figure:
            parts.append(f"{figure} {name}")
    text = "; ".join(parts)
    disagree = any(
        event[f"{n}_low"] is not None
        and event[f"{n}_high"] is not None
        and event[f"{n}_low"] != event[f"{n}_high"]
        for n in ("killed", "injured")
    )
    return f"{text} (sources differ)" if disagree else text


def place_label(event: dict[str, Any]) -> str:
    name = event["place_name"]
    if event["place_kind"] == "city" and event.get("admin1_name"):
        name = f"{name}, {event['admin1_name']}"
    if event["country"] != "UA":
        name = f"{name} (outside Ukraine)"
    if event["place_precision"] == "inferred":
        name += " (place inferred from context)"
    return name


def link(url: str, label: str) -> str:
    """An <a> tag for a web link; anything else (blank, javascript:, a path) stays plain text."""
    url = re.sub(r"\s+", "", url or "")
    if not re.match(r"https?://", url, re.I):
        return label
    return f'<a href="{esc(url[:1000])}">{label}</a>'


def source_line(source: dict[str, Any]) -> str:
    label = source["title"] or source["article_id"]
    label = link(source["url"], esc(clip(label, 90)))
    details = [esc(clip(source["publisher"], 60))] if source["publisher"] else []
    details.append(day_label(source["published"]) if source["published"] else "date unknown")
    line = f"{label} ({', '.join(details)})"
    if source["claimed_by"]:
        verb = "claimed by" if source["is_claim"] else "via"
        line += f" — {verb} {esc(clip(source['claimed_by'], 80))}"
    return line


def _distinct_sources(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per article, naming every source that article cites for the event."""
    by_article: dict[str, dict[str, Any]] = {}
    for s in sources:
        current = by_article.setdefault(s["article_id"], {**s, "claimed_by": ""})
        claimants = [c for c in current["claimed_by"].split("; ") if c]
        for claimant in s["claimed_by"].split("; "):
            if claimant and not any(claimant in c or c in claimant for c in claimants):
                claimants.append(claimant)
        current["claimed_by"] = "; ".join(claimants)
        current["is_claim"] = current["is_claim"] or s["is_claim"]
    return list(by_article.values())


def render_event(event: dict[str, Any], sources: list[dict[str, Any]], full: bool = False) -> str:
    """One event: where, when, what, figures, who says so, and every source."""
    kind = event["sub_event_type"]
    if event["target"]:
        kind += f" on {event['target']}"
    head = (
        f"<b>{esc(place_label(event))}</b> · {day_label(event['date'], event['date_precision'])}"
        f" · {esc(kind)}"
    )
    if event["is_claim"]:
        head += " · <i>claim</i>"
    lines = [head, esc(clip(event["summary"], SUMMARY_CHARS if not full else 1200))]
    figures = casualties(event)
    if figures:
        lines.append(f"Casualties: {esc(figures)}")
    if full and (event["actor1"] or event["actor2"]):
        lines.append(f"Actors: {esc(event['actor1'] or '?')} → {esc(event['actor2'] or '?')}")
    trusted = [s for s in sources if s["confidence"] >= 0.5] or sources
    distinct = _distinct_sources(trusted)
    shown = distinct if full else distinct[:MAX_SOURCES_SHOWN]
    listed = " · ".join(source_line(s) for s in shown)
    more = f" · and {len(distinct) - len(shown)} more" if len(distinct) > len(shown) else ""
    lines.append(f"Sources ({len(distinct)}): {listed}{more}")
    if full:
        for s in trusted:
            title = esc(clip(s["title"] or s["article_id"], 90))
            lines.append(f"“{esc(clip(s['sentence'], 400))}” — {title}")
    else:
        lines.append(f"/e{event['id']}")
    return fit("\n".join(lines))


def render_events(
    title: str,
    events: list[dict[str, Any]],
    sources: dict[str, list[dict[str, Any]]],
    note: str = "",
) -> str:
    """A page of events grouped by day, newest first, under a title (and a note on it)."""
    blocks = [f"<b>{esc(title)}</b>" + (f"\n<i>{esc(note)}</i>" if note else "")]
    current_day: str | None = "-"
    for event in events:
        if event["date"] != current_day:
            current_day = event["date"]
            blocks.append(f"\n— {day_label(current_day)} —")
        blocks.append(render_event(event, sources.get(event["key"], [])))
    return fit("\n".join(blocks[:1] + ["\n\n".join(blocks[1:])]).replace("\n\n\n", "\n\n"))


def render_help(commands: list[Any], chat_type: str) -> str:
    """/help from the registry: each command, what it does, an example."""
    heading = "<b>Commands</b>" if chat_type == "private" else "<b>Commands in this group</b>"
    lines = [heading]
    for c in commands:
        admin = " (administrators)" if c.admin and chat_type != "private" else ""
        lines.append(f"/{c.name} — {esc(c.summary)}{admin}\n   e.g. <code>{esc(c.example)}</code>")
    lines.append(
        "\nDates: 2022-03-02, 2 March 2022, 2/3/2022, March 2022, last week, since March 1;"
        " ranges 1-3 March 2022 or 2022-03-01..2022-03-03. Places in any spelling: Kharkiv,"
        " Kharkov, Харків, Kharkiv oblast. A kind after the place: shelling, airstrike,"
        " hospital, killed."
    )
    if chat_type == "private":
        lines.append("Or just type a place, a date or words to search for.")
    return fit("\n".join(lines))


def render_choice(options: list[tuple[date, str]]) -> Reply:
    """An ambiguous date: which reading did the user mean? One button each."""
    labels = [d.strftime("%-d %B %Y") for d, _ in options]
    text = f"Did you mean {' or '.join(f'<b>{esc(label)}</b>' for label in labels)}?"
    return Reply(text, [[(label, data) for label, (_, data) in zip(labels, options, strict=True)]])


def _bound(total: int, with_figure: int, events: int, what: str) -> str:
    if not with_figure:
        return f"{what.capitalize()}: no figure given in any of these events"
    missing = events - with_figure
    return (
        f"{what.capitalize()}: at least {total} in {with_figure} event"
        f"{'s' if with_figure != 1 else ''}, {missing} with no figure"
    )


def render_totals(where: str, when: str, totals: dict[str, Any]) -> str:
    """/stats for a place and time: events by kind, and honest lower bounds of the toll."""
    title = " · ".join(p for p in (where, when) if p)
    n = totals["events"]
    lines = [f"<b>{esc(title)}</b>", f"Events: {n} (from {totals['articles']} articles)"]
    if not n:
        return "\n".join(lines)
    lines += [f"  {esc(kind)}: {count}" for kind, count in totals["by_kind"]]
    lines.append(_bound(totals["killed"], totals["killed_events"], n, "killed"))
    lines.append(_bound(totals["injured"], totals["injured_events"], n, "injured"))
    lines.append(
        "Each event counts once, with the lowest figure its sources give: lower bounds,"
        " not totals of every report."
    )
    return fit("\n".join(lines))


def to_plain(text: str) -> str:
    """The console's rendering of the same reply: links spelled out, tags dropped."""
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', lambda m: f"{m.group(2)} <{m.group(1)}>", text)
    text = re.sub(r"</?(?:b|i|u|s|code|pre|blockquote)>", "", text)
    return html.unescape(text)
