"""Command arguments as people type them: dates, date ranges and places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.extract.dates import normalise_date_phrase
from store.gazetteer import Gazetteer

MAX_ARGUMENT = 200  # longer arguments are cut before parsing: nobody types a 10,000-char city
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAY_RANGE = re.compile(
    rf"^(\d{{1,2}})\s*[-–]\s*(\d{{1,2}})\s+({_MONTHS})\.?(?:\s+(\d{{4}}))?$", re.I
)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORDY = re.compile(
    rf"^(?:\d{{1,2}}\s+(?:{_MONTHS})\.?|(?:{_MONTHS})\.?\s+\d{{1,2}})(?:,?\s+\d{{4}})?$", re.I
)

DATE_HELP = (
    "Dates: 2022-03-02, 2 March 2022, March 2, 2.03.2022 (day first), today, yesterday; "
    "ranges: 2022-03-01..2022-03-03 or 1-3 March 2022."
)


class ArgumentError(ValueError):
    """A command argument we cannot read; the message is shown to the user as is."""


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    def label(self) -> str:
        if self.start == self.end:
            return self.start.strftime("%a %-d %b %Y")
        return f"{self.start.strftime('%-d %b %Y')} – {self.end.strftime('%-d %b %Y')}"


def parse_date(text: str, today: date, default_year: int) -> date:
    """One day; a date without a year takes `default_year` (the newest year with events)."""
    value = text.strip().lower().rstrip(".")
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    try:
        if _ISO.match(value):
            return date.fromisoformat(value)
        dotted = _DOTTED.match(value)
        if dotted:
            day, month, year = (int(g) for g in dotted.groups())
            return date(year + 2000 if year < 100 else year, month, day)
    except ValueError as exc:
        raise ArgumentError(f"'{text}' is not a real date. {DATE_HELP}") from exc
    if _WORDY.match(value):
        has_year = bool(re.search(r"\d{4}", value))
        base = date(default_year, 12, 31)
        parsed = normalise_date_phrase(value if has_year else f"{value} {default_year}", base)
        if parsed is not None:
            return parsed
    raise ArgumentError(f"I can't read '{text}' as a date. {DATE_HELP}")


def parse_date_range(text: str, today: date, default_year: int) -> DateRange:
    """A day or a range: "2022-03-01..2022-03-03", "1-3 March 2022", "March 2"."""
    value = text.strip()
    if ".." in value:
        left, _, right = value.partition("..")
        start, end = parse_date(left, today, default_year), parse_date(right, today, default_year)
    else:
        days = _DAY_RANGE.match(value)
        if days:
            first, last, month, year = days.groups()
            start = parse_date(f"{first} {month} {year or default_year}", today, default_year)
            end = parse_date(f"{last} {month} {year or default_year}", today, default_year)
        else:
            start = end = parse_date(value, today, default_year)
    if end < start:
        start, end = end, start
    if (end - start).days > 366:
        raise ArgumentError("That range is longer than a year; please ask for a shorter one.")
    return DateRange(start, end)


def split_place_and_dates(
    text: str, gazetteer: Gazetteer, today: date, default_year: int, dates_first: bool = False
) -> tuple[str, DateRange | None]:
    """("Kharkiv oblast", range) from "Kharkiv oblast 1-3 March 2022": longest date tail wins."""
    words = text.split()
    order = range(len(words) + 1) if not dates_first else range(len(words), -1, -1)
    for cut in order:
        place_words, date_words = (
            (words[:cut], words[cut:]) if not dates_first else (words[cut:], words[:cut])
        )
        if not date_words:
            continue
        try:
            found = parse_date_range(" ".join(date_words), today, default_year)
        except ArgumentError:
            continue
        return " ".join(place_words), found
    return text.strip(), None


EVENT_TYPE_WORDS = {
    "battles": "Battles",
    "battle": "Battles",
    "clashes": "Armed clash",
    "fighting": "Armed clash",
    "shelling": "Shelling/artillery/missile attack",
    "missiles": "Shelling/artillery/missile attack",
    "missile": "Shelling/artillery/missile attack",
    "artillery": "Shelling/artillery/missile attack",
    "airstrikes": "Air/drone strike",
    "airstrike": "Air/drone strike",
    "drones": "Air/drone strike",
    "explosions": "Explosions/Remote violence",
    "civilians": "Violence against civilians",
    "protests": "Protests",
    "strategic": "Strategic developments",
    "captures": "Non-state actor overtakes territory",
}
SUBSCRIBE_HELP = (
    "Usage: /subscribe <place | oblast | all> [type] [+word -word], e.g. "
    "/subscribe Kharkiv, /subscribe Kharkiv oblast shelling, /subscribe all +hospital -sanctions. "
    f"Types: {', '.join(sorted(EVENT_TYPE_WORDS))}."
)


@dataclass(frozen=True)
class SubscriptionRequest:
    scope: str  # all | place | oblast
    place_id: int | None
    label: str
    event_type: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]


def parse_subscription(text: str, gazetteer: Gazetteer) -> SubscriptionRequest:
    """What `/subscribe` asks for; ArgumentError with the usage when it cannot be read."""
    words = text[:MAX_ARGUMENT].split()
    include = tuple(w[1:].lower() for w in words if w.startswith("+") and len(w) > 1)
    exclude = tuple(w[1:].lower() for w in words if w.startswith("-") and len(w) > 1)
    rest = [w for w in words if not w.startswith(("+", "-"))]
    if not rest:
        raise ArgumentError(SUBSCRIBE_HELP)
    event_type = ""
    if len(rest) > 1 and rest[-1].lower() in EVENT_TYPE_WORDS:
        event_type = EVENT_TYPE_WORDS[rest.pop().lower()]
    name = " ".join(rest)
    if name.lower() in ("all", "everything", "ukraine"):
        return SubscriptionRequest("all", None, "all", event_type, include, exclude)
    place = gazetteer.lookup(name)
    if place is None or place.kind == "country":
        suggestions = ", ".join(p.name for p in gazetteer.suggest(name))
        hint = f" Did you mean {suggestions}?" if suggestions else ""
        raise ArgumentError(f"No place called '{name[:60]}'.{hint} {SUBSCRIBE_HELP}")
    scope = "oblast" if place.is_ua_oblast else "place"
    return SubscriptionRequest(scope, place.id, place.name, event_type, include, exclude)


def parse_digest(text: str) -> tuple[str | None, bool, str | None]:
    """("HH:MM" or None for off, instant updates too?, time zone or None to keep the chat's)
    from "08:00", "8:00 only", "08:00 Europe/London", "off"."""
    words = text.split()
    zone = next((w for w in words if "/" in w or w.upper() == "UTC"), None)
    if zone is not None:
        words.remove(zone)
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise ArgumentError(
                f"'{zone[:40]}' is not a time zone; use a name such as Europe/Kyiv or UTC."
            ) from exc
    words = [w.lower() for w in words]
    if words == ["off"]:
        return None, True, zone
    if not words or len(words) > 2 or (len(words) == 2 and words[1] != "only"):
        raise ArgumentError(
            "Usage: /digest HH:MM (daily, besides instant updates), "
            "/digest HH:MM only (instead of them), optionally a time zone "
            "(/digest 08:00 Europe/Kyiv), or /digest off."
        )
    m = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", words[0])
    if not m:
        raise ArgumentError(f"'{words[0][:20]}' is not a time of day such as 08:00.")
    return f"{int(m.group(1)):02d}:{m.group(2)}", len(words) == 1, zone
