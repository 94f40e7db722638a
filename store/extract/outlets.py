"""Who published an article, and whose side they speak for (data/outlets.toml).

An event told only by one belligerent's state media or press services is that side's claim:
the extractor marks each such mention a claim, and an event is a claim when all its trusted
mentions are (store/cluster.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

from store.models import Article


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str
    kind: str  # state media | press service | wire | public broadcaster | independent
    party: str  # the belligerent it speaks for: Russia | Ukraine | ""

    @property
    def speaks_for_a_party(self) -> bool:
        return bool(self.party) and self.kind in ("state media", "press service")

    @property
    def label(self) -> str:
        """ "RT (Russian state media)", "Ukrinform (Ukrainian state media)"."""
        side = {"Russia": "Russian", "Ukraine": "Ukrainian"}.get(self.party, self.party)
        return f"{self.name} ({side} {self.kind})"


@cache
def _tables() -> tuple[dict[str, Outlet], dict[str, Outlet]]:
    text = resources.files("store.extract").joinpath("data", "outlets.toml").read_text("utf-8")
    by_domain: dict[str, Outlet] = {}
    by_name: dict[str, Outlet] = {}
    for row in tomllib.loads(text)["outlet"]:
        outlet = Outlet(row["name"], row["country"], row["kind"], row["party"])
        by_domain.update((d.lower(), outlet) for d in row["domains"])
        by_name.update((n.lower(), outlet) for n in row["names"])
    return by_domain, by_name


def outlet_of(article: Article) -> Outlet | None:
    """The outlet an article comes from, by its URL's host or its publisher."""
    return _outlet(article.url, article.publisher)


@lru_cache(maxsize=4096)  # asked once per event clause; an article's answer never changes
def _outlet(url: str, publisher: str) -> Outlet | None:
    by_domain, by_name = _tables()
    for value in (urlsplit(url).hostname or "", publisher):
        host = value.lower().removeprefix("www.")
        while host:
            if host in by_domain:
                return by_domain[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
    return by_name.get(publisher.strip().lower())
