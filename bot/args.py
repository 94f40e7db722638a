"""Command arguments as people type them: dates, date ranges and places."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.catalogue import day
from store.extract.dates import normalise_date_phrase
from store.gazetteer import Gazetteer
from store.subscriptions import Measure, Threshold

MAX_ARGUMENT = 200  # longer arguments are cut before parsing: nobody types a 10,000-char city
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = "|".join(_MONTH_NAMES) + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
# Ukrainian and Russian month names (nominative and genitive) read as the English ones.
_CYRILLIC_MONTHS = {
    "січень": 1, "січня": 1, "лютий": 2, "лютого": 2, "березень": 3, "березня": 3,
    "квітень": 4, "квітня": 4, "травень": 5, "травня": 5, "червень": 6, "червня": 6,
    "липень": 7, "липня": 7, "серпень": 8, "серпня": 8, "вересень": 9, "вересня": 9,
    "жовтень": 10, "жовтня": 10, "листопад": 11, "листопада": 11, "грудень": 12, "грудня": 12,
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "мая": 5, "май": 5, "июнь": 6, "июня": 6, "июль": 7, "июля": 7,
    "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10, "октября": 10,
    "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
}  # fmt: skip
_CYRILLIC = re.compile(r"\b(" + "|".join(_CYRILLIC_MONTHS) + r")\b")
_DAY_RANGE = re.compile(
    rf"^(\d{{1,2}})\s*[-–]\s*(\d{{1,2}})\s+({_MONTHS})\.?(?:\s+(\d{{4}}))?$", re.I
)
_MONTH_DAY_RANGE = re.compile(
    rf"^({_MONTHS})\.?\s+(\d{{1,2}})\s*[-–]\s*(\d{{1,2}})(?:,?\s+(\d{{4}}))?$", re.I
)
_WHOLE_MONTH = re.compile(rf"^({_MONTHS})\.?(?:,?\s+(\d{{4}}))?$", re.I)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WORDY = re.compile(
    rf"^(?:\d{{1,2}}\s+(?:{_MONTHS})\.?|(?:{_MONTHS})\.?\s+\d{{1,2}})(?:,?\s+\d{{4}})?$", re.I
)
_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b,?")
_SINCE = re.compile(r"^(?:since|after|from)\s+(.+)$")
_BETWEEN = re.compile(
    r"^(?:from|between)?\s*(.+?)\s*(?:\.\.|\s(?:to|till|until|and|-|–|—)\s)\s*(.+)$"
)
_LAST_WEEK = ("last week", "past week", "this week", "last 7 days", "past 7 days")

DATE_HELP = (
    "Dates: 2022-03-02, 2 March 2022, March 2, 2.03.2022, March 2022, last week; "
    "ranges: 1-3 March 2022, 2022-03-01..2022-03-03, since March 1."
)


class ArgumentError(ValueError):
    """A command argument we cannot read; the message is shown to the user as is."""


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    # "last week" of old data is the week up to its newest day, and the answer says so.
    newest: date | None = None

    def label(self, lang: str = "en") -> str:
        if self.start == self.end:
            return day(self.start, lang)
        return f"{day(self.start, lang, weekday=False)} – {day(self.end, lang, weekday=False)}"

    def canonical(self) -> str:
        """A form that parses back to this range."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


class AmbiguousDate(ArgumentError):
    """A slash date read both ways ("2/3/2022": 2 March or 3 February): the user chooses."""

    def __init__(self, text: str, readings: tuple[date, date]) -> None:
        super().__init__(f"'{text}' could be {' or '.join(_day(d) for d in readings)}.")
        self.readings = readings


def _day(day: date) -> str:
    return day.strftime("%-d %B %Y")


def _normalise(text: str) -> str:
    """Lower case, English month names, no ordinals, weekdays or "of": "2nd of March" is
    "2 march"."""
    value = _CYRILLIC.sub(lambda m: _MONTH_NAMES[_CYRILLIC_MONTHS[m.group(1)] - 1], text.lower())
    value = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", value)
    value = _WEEKDAY.sub(" ", re.sub(r"\bof\b", " ", value))
    value = " ".join(value.replace(",", " ").split())
    return value[:-1] if value.endswith(".") and not value.endswith("..") else value


def _year(value: str) -> int:
    year = int(value)
    return year + 2000 if year < 100 else year


def parse_date(text: str, today: date, default_year: int) -> date:
    """One day; a date without a year takes `default_year` (the newest year with events)."""
    value = _normalise(text)
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    try:
        iso = _ISO.match(value) or _COMPACT.match(value)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return date(year, month, day)
        dotted = _DOTTED.match(value)
        if dotted:
            day, month, year = (int(g) for g in dotted.groups())
            return date(_year(str(year)), month, day)
        slashed = _SLASHED.match(value)
        if slashed:
            return _slashed(text, slashed, default_year)
    except ValueError as exc:
        if isinstance(exc, ArgumentError):
            raise
        raise ArgumentError(f"'{text}' is not a real date. {DATE_HELP}") from exc
    if _WORDY.match(value):
        has_year = bool(re.search(r"\d{4}", value))
        base = date(default_year, 12, 31)
        parsed = normalise_date_phrase(value if has_year else f"{value} {default_year}", base)
        if parsed is not None:
            return parsed
    raise ArgumentError(f"I can't read '{text}' as a date. {DATE_HELP}")


def _slashed(text: str, match: re.Match[str], default_year: int) -> date:
    """ "2/3/2022": day first in Ukraine and Europe, month first in the US; both fit -> ask."""
    first, second = int(match.group(1)), int(match.group(2))
    year = _year(match.group(3)) if match.group(3) else default_year
    if first > 12 or first == second:
        return date(year, second, first)
    if second > 12:
        return date(year, first, second)
    raise AmbiguousDate(text.strip(), (date(year, second, first), date(year, first, second)))


def parse_date_range(
    text: str, today: date, default_year: int, newest: date | None = None
) -> DateRange:
    """A day or a range: "2022-03-01..2022-03-03", "1-3 March 2022", "March 2022", "since March
    1", "from 1 to 3 March", "last week" (the week up to `newest`, the newest day with events)."""
    value = re.sub(r"^(?:on|in|for|during)\s+", "", _normalise(text))
    if value in _LAST_WEEK:
        return _last_week(today, newest)
    since = _SINCE.match(value)
    if since and not _BETWEEN.match(value):
        start = parse_date(since.group(1), today, default_year)
        return DateRange(start, max(start, newest or start))
    start, end = _span(value, today, default_year)
    if end < start:
        start, end = end, start
    if (end - start).days > 366:
        raise ArgumentError("That range is longer than a year; please ask for a shorter one.")
    return DateRange(start, end)


def _span(value: str, today: date, default_year: int) -> tuple[date, date]:
    for pattern, order in ((_DAY_RANGE, (0, 1, 2, 3)), (_MONTH_DAY_RANGE, (1, 2, 0, 3))):
        days = pattern.match(value)
        if days:
            groups = days.groups()
            first, last, month, year = (groups[i] for i in order)
            year = year or str(default_year)
            start = parse_date(f"{first} {month} {year}", today, default_year)
            return start, parse_date(f"{last} {month} {year}", today, default_year)
    month = _WHOLE_MONTH.match(value)
    if month:
        number = _month_number(month.group(1))
        year = int(month.group(2) or default_year)
        if not 1 <= year < 9999:
            raise ArgumentError(f"'{value}' is not a real month. {DATE_HELP}")
        following = date(year + number // 12, number % 12 + 1, 1)
        return date(year, number, 1), following - timedelta(days=1)
    between = _BETWEEN.match(value)
    if between:
        left, right = between.groups()
        end = parse_date(right, today, default_year)
        if re.fullmatch(r"\d{1,2}", left):  # "1 to 3 march": the month is said once
            left = f"{left} {end.strftime('%B %Y')}"
        elif not re.search(r"\d{4}", left) and re.search(r"\d{4}", right):
            left = f"{left} {end.year}"
        return parse_date(left, today, default_year), end
    day = parse_date(value, today, default_year)
    return day, day


def _month_number(name: str) -> int:
    name = name.lower()
    return next(i + 1 for i, full in enumerate(_MONTH_NAMES) if full.startswith(name[:3]))


def _last_week(today: date, newest: date | None) -> DateRange:
    """The seven days up to today, or up to the newest events when the data is older."""
    if newest is None or newest >= today - timedelta(days=7):
        return DateRange(today - timedelta(days=6), today)
    return DateRange(newest - timedelta(days=6), newest, newest)


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
    "Usage: /subscribe Kharkiv, /subscribe Kharkiv oblast shelling, "
    "/subscribe all +hospital -sanctions (+word: must mention it, -word: must not) or "
    "/subscribe Kramatorsk min 2 sources (also: min 5 killed, injured, casualties)."
)
# "min 2 sources", "min. 5 killed", "minimum 10 casualties", "at least 3 dead", anywhere.
_THRESHOLD = re.compile(
    r"(?:^|\s)(?:min(?:imum)?\.?|at\s+least|≥|>=)\s*(\d{1,6})\s+(\w+)(?=\s|$)", re.I
)
THRESHOLD_WORDS: dict[str, Measure] = {
    "source": "sources",
    "sources": "sources",
    "articles": "sources",
    "reports": "sources",
    "killed": "killed",
    "dead": "killed",
    "deaths": "killed",
    "injured": "injured",
    "wounded": "injured",
    "casualties": "casualties",
    "victims": "casualties",
}


@dataclass(frozen=True)
class SubscriptionRequest:
    scope: str  # all | place | oblast
    place_id: int | None
    label: str
    event_type: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    threshold: Threshold | None = None


def parse_threshold(text: str) -> tuple[Threshold | None, str]:
    """("min 2 sources" as a Threshold or None, the text without it); ArgumentError for a
    threshold of something we do not count or of zero."""
    found = _THRESHOLD.search(text)
    if found is None:
        return None, text
    number, what = int(found.group(1)), found.group(2).lower()
    if what not in THRESHOLD_WORDS or number < 1:
        raise ArgumentError(SUBSCRIBE_HELP)
    rest = text[: found.start()] + " " + text[found.end() :]
    return Threshold(number, THRESHOLD_WORDS[what]), rest


def parse_subscription(text: str, gazetteer: Gazetteer) -> SubscriptionRequest:
    """What `/subscribe` asks for; ArgumentError with the usage when it cannot be read."""
    threshold, text = parse_threshold(text[:MAX_ARGUMENT])
    words = text.split()
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
        return SubscriptionRequest("all", None, "all", event_type, include, exclude, threshold)
    place = gazetteer.lookup(name)
    if place is None or place.kind == "country":
        suggestions = ", ".join(p.name for p in gazetteer.suggest(name))
        hint = f" Did you mean {suggestions}?" if suggestions else ""
        raise ArgumentError(f"No place called '{name[:60]}'.{hint} {SUBSCRIBE_HELP}")
    scope = "oblast" if place.is_ua_oblast else "place"
    return SubscriptionRequest(scope, place.id, place.name, event_type, include, exclude, threshold)


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


CHANNEL_COMMANDS = ("subscribe", "unsubscribe", "subscriptions", "quiet", "digest")
CHANNEL_HELP = (
    "Usage: /channel @yourchannel subscribe Kharkiv (or unsubscribe, subscriptions, quiet, digest)."
)


def parse_channel(text: str) -> tuple[str | int, str]:
    """("@mychannel" or its numeric id, "/subscribe Kharkiv") from "@mychannel subscribe
    Kharkiv"."""
    ref, _, rest = text.strip().partition(" ")
    command = rest.strip().lstrip("/")
    name = command.split(" ", 1)[0].lower()
    if name not in CHANNEL_COMMANDS:
        raise ArgumentError(CHANNEL_HELP)
    if re.fullmatch(r"@[A-Za-z][A-Za-z0-9_]{3,31}", ref):
        return ref, f"/{command}"
    if re.fullmatch(r"-100[0-9]{6,13}", ref):
        return int(ref), f"/{command}"
    raise ArgumentError(CHANNEL_HELP)
