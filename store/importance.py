"""Which events of a day come first: the one rule, as data and one function, so it can be
tuned and tested.

Within a day, the events told by more articles come first (a strike that 14 outlets report is
the day's news; a line in one article is not), then those with more people killed, then more
injured, then by kind: strikes and attacks on civilians before battles, battles before other
developments, those before protests, agreements and the rest. Ties go to the more certain
reading (confidence), then to the newer event.

`/date`, `/city` and `/latest` order days newest first and, within each day, by this rule.
The database keeps an index in exactly this order (store/db.py), so a page costs a few index
steps however many events a day or a place has.
"""

from __future__ import annotations

# Event types (ACLED's) by weight; a sub-event type listed here overrides its type's weight.
KIND_WEIGHTS: dict[str, int] = {
    "Explosions/Remote violence": 3,
    "Violence against civilians": 3,
    "Battles": 2,
    "Strategic developments": 1,
    "Protests": 0,
}
SUB_KIND_WEIGHTS: dict[str, int] = {
    "Agreement": 0,
    "Headquarters or base established": 0,
    "Non-violent transfer of territory": 0,
    "Other": 0,
}


def _kind_weight(alias: str) -> str:
    subs = " ".join(f"when '{k}' then {w}" for k, w in SUB_KIND_WEIGHTS.items())
    kinds = " ".join(f"when '{k}' then {w}" for k, w in KIND_WEIGHTS.items())
    return (
        f"(case {alias}sub_event_type {subs} else (case {alias}event_type {kinds} else 0 end) end)"
    )


def importance_terms(alias: str = "") -> list[str]:
    """The rule as SQL expressions over an events row, most important first when each is
    sorted descending: distinct articles, killed, injured, kind, confidence. `alias` is "e." in
    a query over `events e`, "" in the index's definition (SQLite matches the two as the same).
    Confidence last also lets the index answer the shown-events filter without the table."""
    return [
        f"{alias}n_sources",
        f"coalesce({alias}killed_low, {alias}killed_high, 0)",
        f"coalesce({alias}injured_low, {alias}injured_high, 0)",
        _kind_weight(alias),
        f"{alias}confidence",
    ]


def importance_order(alias: str = "e.") -> str:
    """ORDER BY for answers: days newest first, then the day's events by importance."""
    terms = [f"{alias}date", *importance_terms(alias), f"{alias}id"]
    return ", ".join(f"{term} desc" for term in terms)
