"""Pages of whole events: a list or one event's sources split where Telegram's limits require.

Nothing is ever cut: a page holds whole events (or, for `/event`, whole source lines), as many
as fit 4096 visible UTF-16 units and 100 entities as `render.measure` counts them, and the next
page starts with the next one. Pure: events in, HTML strings out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.catalogue import t
from bot.render import (
    ENTITY_LIMIT,
    TELEGRAM_LIMIT,
    Size,
    clip,
    day_label,
    esc,
    event_head,
    event_sources,
    measure,
    render_event,
    source_line,
    toll_history,
)

QUOTE_CHARS = 400
_NEWLINE = Size(1, 0)


def pack(
    blocks: list[Size],
    fixed: Callable[[int], Size],
    limit: int = TELEGRAM_LIMIT,
    entities: int = ENTITY_LIMIT,
) -> list[list[int]]:
    """Consecutive blocks into pages, greedily: page n holds `fixed(n)` (its heading) and as
    many whole blocks as fit, each block counted with the line break before it. A block too big
    for any page gets a page of its own (callers make every block fit an empty page)."""
    pages: list[list[int]] = []
    current: list[int] = []
    used = fixed(0)
    for index, block in enumerate(blocks):
        grown = used + _NEWLINE + block
        if current and not grown.fits(limit, entities):
            pages.append(current)
            current = []
            grown = fixed(len(pages)) + _NEWLINE + block
        current.append(index)
        used = grown
    if current or not pages:
        pages.append(current)
    return pages


def render_pages(
    title: str,
    events: list[dict[str, Any]],
    sources: dict[str, list[dict[str, Any]]],
    note: str = "",
    lang: str = "en",
) -> list[str]:
    """A list of events as pages of whole events grouped by day, in the order given. With more
    than one page each title says which part it is ("part 2/3")."""
    rendered = [render_event(e, sources.get(e["key"], []), lang=lang) for e in events]
    # Each block is an event with the day heading it may need: counted as if it had one.
    blocks = [
        measure(f"\n— {day_label(e['date'], lang=lang)} —\n{text}\n")
        for e, text in zip(events, rendered, strict=True)
    ]
    widest = _heading(title, note, 9, 9, lang)  # the part label at its widest
    plan = pack(blocks, lambda _: measure(widest))
    return [
        _page(
            _heading(title, note, n + 1, len(plan), lang),
            [(events[i], rendered[i]) for i in ix],
            lang,
        )
        for n, ix in enumerate(plan)
    ]


def _heading(title: str, note: str, part: int, parts: int, lang: str) -> str:
    if parts > 1:
        title = f"{title}, {t('events.part', lang, part=part, parts=parts)}"
    return f"<b>{esc(title)}</b>" + (f"\n<i>{esc(note)}</i>" if note else "")


def _page(heading: str, events: list[tuple[dict[str, Any], str]], lang: str) -> str:
    parts = [heading]
    current_day: str | None = "-"
    for event, text in events:
        if event["date"] != current_day:
            current_day = event["date"]
            parts.append(f"\n— {day_label(current_day, lang=lang)} —")
        parts.append(f"\n{text}")
    return "\n".join(parts)


def render_event_pages(
    event: dict[str, Any], sources: list[dict[str, Any]], lang: str = "en"
) -> list[str]:
    """`/event` in full: the event, then every source article with the sentences it tells the
    event in, over as many pages as they need. Later pages repeat the event's first line."""
    head = event_head(event, full=True, lang=lang)
    trusted, distinct = event_sources(sources)
    lines: list[str] = []
    history = toll_history(trusted, lang)
    if history:
        head = [*head, history]
    for article in distinct:
        lines.append(f"• {source_line(article, lang)}")
        for mention in trusted:
            if mention["article_id"] == article["article_id"]:
                quote = f"   “{esc(clip(mention['sentence'], QUOTE_CHARS))}”"
                if mention.get("joined"):
                    quote += f" <i>({t('joined.' + mention['joined'], lang)})</i>"
                lines.append(quote)
    n = len(distinct)
    widest = f"{t('sources.page', lang, sources=t('sources', lang), n=n, page=99, pages=99)}:"

    def fixed(page: int) -> Size:
        shown = head if page == 0 else head[:1]
        return measure("\n".join([*shown, widest]))

    plan = pack([measure(line) for line in lines], fixed)
    pages = []
    for number, indexes in enumerate(plan):
        label = f"{t('sources', lang)} ({n}):"
        if len(plan) > 1:
            label = (
                t(
                    "sources.page",
                    lang,
                    sources=t("sources", lang),
                    n=n,
                    page=number + 1,
                    pages=len(plan),
                )
                + ":"
            )
        shown = head if number == 0 else head[:1]
        pages.append("\n".join([*shown, label, *(lines[i] for i in indexes)]))
    return pages
