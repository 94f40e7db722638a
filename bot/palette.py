"""The colour of each kind of event in a picture, one table (bot/data/palette.toml) so that a
kind has the same colour on every map and chart."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "palette.toml"


@cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    return data["labels"], data["event_types"]


def colour(label_en: str, event_type: str = "") -> str:
    """ "#d62728" for "Shelling"; a label the table lacks takes its event type's colour."""
    labels, types = _table()
    return labels.get(label_en) or types.get(event_type) or types[""]
