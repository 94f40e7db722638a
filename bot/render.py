"""Events to Telegram HTML (and plain text for the console): escaping and the 4096 limit live here.

Every piece of text that came from an article or a user goes through `esc`; every reply goes
through `fit`, which counts in UTF-16 code units as Telegram does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any

from bot.catalogue import count, day, label, t
from bot.figures import Picture
from bot.kinds import acled_line, count_kinds, kind_label
from store.extract.rules import trusted as trusted_mentions

TELEGRAM_LIMIT = 4096
CAPTION_LIMIT = 1024  # a photo's or a file's caption, counted the same way
ENTITY_LIMIT = 100  # formatting entities Telegram keeps in one message
SUMMARY_CHARS = 320
MAX_SOURCES_SHOWN = 8
# An event in a list keeps its sources line within this many visible UTF-16 units, so that one
# event always fits a message with any heading, and five usually do.
SOURCES_BUDGET = 1600


@dataclass
class Reply:
    """What the bot sends: HTML text and rows of (label, callback data) buttons, or a file or
    a picture with the text as its caption."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)
    document: tuple[str, bytes] | None = None  # (file name, content): sent as a file
    picture: Picture | None = None  # drawn where it is sent (bot/drawing.py): sent as a photo


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True)
class Size:
    """What Telegram counts in a message: visible UTF-16 code units and formatting entities."""

    units: int
    entities: int

    def __add__(self, other: Size) -> Size:
        return Size(self.units + other.units, self.entities + other.entities)

    def fits(self, limit: int = TELEGRAM_LIMIT, entities: int = ENTITY_LIMIT) -> bool:
        return self.units <= limit and self.entities <= entities


# Tags Telegram's HTML turns into an entity (its <span class="tg-spoiler"> included).
_ENTITY_TAGS = frozenset(
    ("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre")
    + ("blockquote", "span", "tg-spoiler", "tg-emoji")
)


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units = 0
        self.entities = 0
        self.open: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append((tag, self.units))

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            name, start = self.open.pop()
            # <pre><code class="language-x"> is one entity; an empty tag makes none.
            nested_code = name == "code" and self.open and self.open[-1][0] == "pre"
            if name in _ENTITY_TAGS and self.units > start and not nested_code:
                self.entities += 1

    def handle_data(self, data: str) -> None:
        self.units += utf16_len(data)


def measure(text: str) -> Size:
    """The size of an HTML reply as Telegram counts it after parsing the entities: visible
    characters in UTF-16 code units (tags and href URLs are not counted, `&amp;` is one
    character) and the number of formatting entities. Entities Telegram finds by itself in the
    text (/e12, bare links) are not counted: it never refuses a message for those."""
    counter = _Counter()
    counter.feed(text)
    counter.close()
    return Size(counter.units, counter.entities)


def clip(text: str, limit: int) -> str:
    """Shorten plain text (before escaping) at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def fit(text: str, limit: int = TELEGRAM_LIMIT) -> str:
    """A reply that Telegram accepts whatever the data, measured as Telegram measures it
    (`measure`): cut between lines, tags kept whole. Answers of events never need it (pages
    hold whole events); it guards fixed texts and pushes.

    Relies on no tag spanning lines, which holds because every text is clipped to one line
    before it is escaped and wrapped.
    """
    if measure(text).fits(limit):
        return text
    kept: list[str] = []
    note = "\n… (shortened to fit one message)"
    used = measure(note)
    for line in text.split("\n"):
        size = measure(line) + Size(1, 0)
        if not (used + size).fits(limit):
            break
        kept.append(line)
        used += size
    return "\n".join(kept) + note


def day_label(value: str | None, precision: str = "day", lang: str = "en") -> str:
    if not value:
        return t("date.unknown", lang)
    shown = day(date.fromisoformat(value), lang)
    return t("around", lang, day=shown) if precision == "approximate" else shown


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


def casualties(event: dict[str, Any], lang: str = "en") -> str:
    parts = []
    for name in ("killed", "injured"):
        figure = _count(event[f"{name}_low"], event[f"{name}_high"], event[f"{name}_qualifier"])
        word = t(name, lang)
        if figure == _UNSTATED:
            parts.append(f"{word}: number not given" if lang == "en" else f"{word}: без числа")
        elif figure:
            parts.append(f"{figure} {word}")
    text = "; ".join(parts)
    disagree = any(
        event[f"{n}_low"] is not None
        and event[f"{n}_high"] is not None
        and event[f"{n}_low"] != event[f"{n}_high"]
        for n in ("killed", "injured")
    )
    differ = " (sources differ)" if lang == "en" else " (джерела розходяться)"
    return f"{text}{differ}" if disagree else text


def place_label(event: dict[str, Any], lang: str = "en") -> str:
    """ "Kharkiv, Kharkiv Oblast"; in Ukrainian "Харків, Харківська область" when the gazetteer
    has the names (`place_name_uk`, set by the caller)."""
    name = (event.get("place_name_uk") if lang == "uk" else None) or event["place_name"]
    if event["place_kind"] == "city" and event.get("admin1_name"):
        name = f"{name}, {label(event['admin1_name'], lang)}"
    if event["country"] != "UA":
        name += t("outside", lang)
    if event["place_precision"] == "inferred":
        name += t("inferred", lang)
    return name


def inline_title(event: dict[str, Any], lang: str = "en") -> str:
    """An inline result's title, plain text: "Kharkiv · 1 Mar 2022 · Shelling"."""
    name = (event.get("place_name_uk") if lang == "uk" else None) or event["place_name"]
    when = t("date.unknown", lang)
    if event["date"]:
        when = day(date.fromisoformat(event["date"]), lang, weekday=False)
        if event["date_precision"] == "approximate":
            when = t("around", lang, day=when)
    return clip(f"{name} · {when} · {kind_label(event, lang)}", 100)


def link(url: str, label: str) -> str:
    """An <a> tag for a web link; anything else (blank, javascript:, a path) stays plain text."""
    url = re.sub(r"\s+", "", url or "")
    if not re.match(r"https?://", url, re.I):
        return label
    return f'<a href="{esc(url[:1000])}">{label}</a>'


def source_line(source: dict[str, Any], lang: str = "en") -> str:
    title = source["title"] or source["article_id"]
    shown = link(source["url"], esc(clip(title, 90)))
    details = [esc(clip(source["publisher"], 60))] if source["publisher"] else []
    details.append(day_label(source["published"], lang=lang))
    line = f"{shown} ({', '.join(details)})"
    if source["claimed_by"]:
        verb = t("claimed.by" if source["is_claim"] else "via", lang)
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


def event_head(event: dict[str, Any], full: bool = False, lang: str = "en") -> list[str]:
    """An event's first lines: where, when and what; what happened; figures; (in full) actors."""
    kind = kind_label(event, lang)
    when = day_label(event["date"], event["date_precision"], lang)
    head = f"<b>{esc(clip(place_label(event, lang), 150))}</b> · {when} · {esc(clip(kind, 150))}"
    if event["is_claim"]:
        head += f" · <i>{t('claim', lang)}</i>"
    lines = [head, esc(clip(event["summary"], SUMMARY_CHARS if not full else 1200))]
    figures = casualties(event, lang)
    if figures:
        lines.append(f"{t('casualties', lang)}: {esc(figures)}")
    if full and (event["actor1"] or event["actor2"]):
        actors = " → ".join(esc(clip(event[a] or "?", 100)) for a in ("actor1", "actor2"))
        lines.append(f"{t('actors', lang)}: {actors}")
    if full:
        # Analysts keep ACLED's own names beside the plain label.
        lines.append(esc(clip(acled_line(event), 200)))
    return lines


def toll_history(sources: list[dict[str, Any]], lang: str = "en") -> str | None:
    """ "Killed, as reported over time: 30 (Fri 8 Apr 2022), 39, 52 (Sat 9 Apr 2022)": a toll
    that rose is a revision, shown with when each figure was published; None when it never
    changed."""
    steps: list[tuple[str, str]] = []
    for s in sorted(sources, key=lambda s: s["published"] or ""):
        low, high = s.get("killed_low"), s.get("killed_high")
        if low is None and high is None:
            continue
        figure = str(low) if high in (None, low) else f"{low}–{high}"
        if not steps or steps[-1][0] != figure:
            steps.append((figure, s["published"]))
    if len(steps) < 2:
        return None
    shown, day = [], None
    for figure, published in steps:
        shown.append(
            figure if published == day else f"{figure} ({day_label(published, lang=lang)})"
        )
        day = published
    return f"{t('toll.history', lang)}: {esc(', '.join(shown))}"


def event_sources(
    sources: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the mentions shown, one per article of them): low-confidence ones only if alone."""
    trusted = trusted_mentions(sources)
    return trusted, _distinct_sources(trusted)


def sources_line(
    event: dict[str, Any], distinct: list[dict[str, Any]], full: bool = False, lang: str = "en"
) -> str:
    """ "Sources (11): … · … · and 3 more: /e7": in a list, the first few that fit the budget;
    the rest are named by number and their event's command, never cut."""
    shown: list[str] = []
    used = 0
    for s in distinct if full else distinct[:MAX_SOURCES_SHOWN]:
        line = source_line(s, lang)
        used += measure(line).units + 3
        if shown and not full and used > SOURCES_BUDGET:
            break
        shown.append(line)
    rest = len(distinct) - len(shown)
    more = " · " + t("sources.more", lang, n=rest, id=event["id"]) if rest else ""
    return f"{t('sources', lang)} ({len(distinct)}): {' · '.join(shown)}{more}"


def render_event(
    event: dict[str, Any], sources: list[dict[str, Any]], full: bool = False, lang: str = "en"
) -> str:
    """One event: where, when, what, figures, who says so, and its sources (in a list, those
    that fit; in full, every one with its sentences)."""
    lines = event_head(event, full, lang)
    trusted, distinct = event_sources(sources)
    lines.append(sources_line(event, distinct, full, lang))
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
    lang: str = "en",
) -> str:
    """A page of events grouped by day, newest first, under a title (and a note on it)."""
    blocks = [f"<b>{esc(title)}</b>" + (f"\n<i>{esc(note)}</i>" if note else "")]
    current_day: str | None = "-"
    for event in events:
        if event["date"] != current_day:
            current_day = event["date"]
            blocks.append(f"\n— {day_label(current_day, lang=lang)} —")
        blocks.append(render_event(event, sources.get(event["key"], []), lang=lang))
    return fit("\n".join(blocks[:1] + ["\n\n".join(blocks[1:])]).replace("\n\n\n", "\n\n"))


def render_help(commands: list[Any], chat_type: str, lang: str = "en") -> str:
    """/help from the registry: each command, what it does, an example."""
    lines = [f"<b>{t('help.title' if chat_type == 'private' else 'help.title_group', lang)}</b>"]
    for c in commands:
        admin = t("help.admins", lang) if c.admin and chat_type != "private" else ""
        summary = esc(t(f"cmd.{c.name}", lang))
        example = f"{t('help.example', lang)} <code>{esc(c.example)}</code>"
        lines.append(f"/{c.name} — {summary}{admin}\n   {example}")
    lines.append("\n" + t("help.dates", lang))
    if chat_type == "private":
        lines.append(t("help.plain", lang))
    return fit("\n".join(lines))


def render_choice(options: list[tuple[date, str]], lang: str = "en") -> Reply:
    """An ambiguous date: which reading did the user mean? One button each."""
    labels = [day(d, lang, weekday=False) for d, _ in options]
    shown = f" {t('or', lang)} ".join(f"<b>{esc(text)}</b>" for text in labels)
    buttons = [[(text, data) for text, (_, data) in zip(labels, options, strict=True)]]
    return Reply(t("choose", lang, options=shown), buttons)


def _bound(totals: dict[str, Any], what: str, lang: str) -> str:
    total, with_figure, events = totals[what], totals[f"{what}_events"], totals["events"]
    name = t(f"stats.{what}", lang)
    if not with_figure:
        return t("stats.nofigure", lang, what=name)
    counted = count(with_figure, lang)
    missing = events - with_figure
    return t("stats.bound", lang, what=name, total=total, events=counted, missing=missing)


def render_totals(where: str, when: str, totals: dict[str, Any], lang: str = "en") -> str:
    """/stats for a place and time: events by kind, and honest lower bounds of the toll."""
    title = " · ".join(p for p in (where, when) if p)
    n = totals["events"]
    articles = count(totals["articles"], lang, "articles")
    lines = [f"<b>{esc(title)}</b>", t("stats.events", lang, n=n, articles=articles)]
    if not n:
        return "\n".join(lines)
    lines += [f"  {esc(kind)}: {n}" for kind, n in count_kinds(totals["kinds"], lang)]
    lines += [_bound(totals, "killed", lang), _bound(totals, "injured", lang)]
    lines.append(t("stats.note", lang))
    return fit("\n".join(lines))


def to_plain(text: str) -> str:
    """The console's rendering of the same reply: links spelled out, tags dropped."""
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', lambda m: f"{m.group(2)} <{m.group(1)}>", text)
    text = re.sub(r"</?(?:b|i|u|s|code|pre|blockquote)>", "", text)
    return html.unescape(text)


DIGEST_TOP = 10  # a digest lists the main events; the rest are one /date away


def render_digest(events: list[dict[str, Any]], day: str, place: str = "", lang: str = "en") -> str:
    """A daily digest: the first events given (callers order them by importance), at most
    DIGEST_TOP and as many as fit one message as Telegram counts it, then "and 31 more: /date
    2022-04-08" for the day or days of the rest (narrowed to `place` when the chat follows one)."""
    title = t("digest.title", lang, day=esc(day), n=len(events))
    lines = [
        f"• {esc(clip(e['place_name'], 80))}, {day_label(e['date'], e['date_precision'], lang)}:"
        f" {esc(kind_label(e, lang))} — {esc(clip(e['summary'], 120))}"
        f" ({count(e['n_sources'], lang, 'articles')}: /event {e['id']})"
        for e in events[:DIGEST_TOP]
    ]
    # The longest "and N more" line this digest could need, kept free while lines are added.
    reserve = measure(_digest_more(events[1:], place, lang)) + Size(1, 0)
    used, shown = measure(title) + reserve, 0
    for line in lines:
        size = measure(line) + Size(1, 0)
        if not (used + size).fits():
            break
        used, shown = used + size, shown + 1
    rest = events[shown:]
    return "\n".join([title, *lines[:shown]] + ([_digest_more(rest, place, lang)] if rest else []))


def _digest_more(rest: list[dict[str, Any]], place: str, lang: str) -> str:
    """ "… and 31 more: /date 2022-04-08 Kramatorsk" (a range when the rest span days)."""
    days = sorted({e["date"] for e in rest if e["date"]})
    span = days[0] if len(days) == 1 else f"{days[0]}..{days[-1]}" if days else ""
    command = " ".join(part for part in ("/date", span, esc(place)) if part) if span else "/latest"
    return t("digest.more", lang, n=len(rest), command=command)
