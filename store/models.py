"""Plain records passed between the extraction steps, the store and the bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, a feed or a page."""

    id: str
    text: str
    published: date | None
    title: str = ""
    url: str = ""
    publisher: str = ""
    path: str = ""
    # How the publication date was learnt: manifest, header, text, feed, page, unknown.
    published_source: str = "unknown"
    # Problems found while reading it (a manifest date that is not a date, ...).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    """A resolved place: a GeoNames populated place, an oblast, or somewhere abroad."""

    id: int
    name: str
    admin1: str = ""
    admin1_name: str = ""
    country: str = "UA"
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    # city (any settlement) | raion | site (Azovstal, Snake Island) | sea | oblast | country; an
    # oblast abroad ("Belgorod Oblast") has no admin1
    kind: str = "city"
    raion: str = ""
    # Where the point comes from: osm | geonames | hromada (its hromada's centroid, a median
    # 9 km off) | manual; "" for units without a point
    coord_source: str = ""

    @property
    def is_ua_oblast(self) -> bool:
        """One of Ukraine's oblasts: the unit /city and subscriptions widen to all its towns."""
        return self.kind == "oblast" and self.country == "UA"


@dataclass(frozen=True)
class Count:
    """A casualty figure as the text gives it: low..high, and how exact it is."""

    low: int | None
    high: int | None
    # exact | at_least | up_to | approximate | vague ("dozens" with no number)
    qualifier: str = "exact"
    words: str = ""


@dataclass(frozen=True)
class ResolvedDate:
    value: date | None
    # day | approximate | unknown
    precision: str
    phrase: str = ""


@dataclass
class Candidate:
    """One event as one article tells it, with the sentence that says so."""

    article_id: str
    place: Place
    place_precision: str  # exact | inferred | oblast
    date: ResolvedDate
    event_type: str
    sub_event_type: str
    sentence: str
    start: int
    end: int
    target: str = ""
    actor1: str = ""
    actor2: str = ""
    killed: Count | None = None
    injured: Count | None = None
    victims: str = ""
    claimed_by: str = ""
    is_claim: bool = False
    confidence: float = 1.0


@dataclass
class ExtractionResult:
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
