"""store.importance: a day's events in order of importance, pinned on a real SQLite file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from store.db import Store
from store.importance import importance_order


def add_event(store: Store, event_id: int, **values: Any) -> None:
    row = {
        "id": event_id,
        "key": f"k{event_id}",
        "date": "2022-04-08",
        "date_precision": "day",
        "place_id": store.gazetteer().lookup("Kramatorsk").id,
        "place_precision": "exact",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "summary": f"event {event_id}",
        "confidence": 0.9,
        "n_sources": 1,
        "is_claim": 0,
        **values,
    }
    columns = ", ".join(row)
    store.db.execute(
        f"insert into events ({columns}) values ({', '.join('?' * len(row))})", list(row.values())
    )


def order(store: Store, **filters: Any) -> list[int]:
    return [e["id"] for e in store.find_events(limit=100, **filters)[0]]


def test_more_sources_come_first_then_more_killed_then_more_injured(store):
    add_event(store, 1)
    add_event(store, 2, n_sources=25, killed_low=59, killed_high=59)
    add_event(store, 3, killed_low=5, killed_high=5)
    add_event(store, 4, injured_low=10, injured_high=10)
    add_event(store, 5, n_sources=3)
    add_event(store, 6, killed_low=5, killed_high=5, injured_low=2, injured_high=2)
    assert [2, 5, 6, 3, 4, 1] == order(store)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash")),
        (("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")),
        (("Battles", "Armed clash"), ("Strategic developments", "Disrupted weapons use")),
        (
            ("Strategic developments", "Disrupted weapons use"),
            ("Strategic developments", "Agreement"),
        ),
    ],
)
def test_strikes_and_attacks_on_civilians_come_before_protests_and_agreements(store, first, second):
    add_event(store, 1, event_type=second[0], sub_event_type=second[1])
    add_event(store, 2, event_type=first[0], sub_event_type=first[1])
    add_event(store, 3, event_type=second[0], sub_event_type=second[1], n_sources=2)
    assert [3, 2, 1] == order(store)  # sources outweigh the kind


def test_days_stay_newest_first_whatever_the_importance(store):
    add_event(store, 1, date="2022-04-07", n_sources=30, killed_low=100)
    add_event(store, 2, date="2022-04-08")
    add_event(store, 3, date="2022-04-08", n_sources=2)
    assert [3, 2, 1] == order(store)


def test_city_date_and_latest_use_the_same_rule(store):
    add_event(store, 1)
    add_event(store, 2, n_sources=4)
    add_event(store, 3, date="2022-04-09")
    place = store.gazetteer().lookup("Kramatorsk")
    day = date(2022, 4, 8)
    assert [2, 1] == order(store, date_from=day, date_to=day)
    assert [3, 2, 1] == order(store, place=place)
    assert [3, 2, 1] == order(store)


def test_ties_go_to_the_more_certain_then_the_newer_event(store):
    add_event(store, 1, confidence=0.95)
    add_event(store, 2, confidence=0.6)
    add_event(store, 3, confidence=0.6)
    assert [1, 3, 2] == order(store)


def test_a_page_of_a_city_or_a_day_is_read_from_an_index_in_that_order(store):
    """No sort of all the place's or day's events: the bench's p99 depends on it."""
    place = store.gazetteer().lookup("Kramatorsk")
    for filters in ({"place": place}, {"date_from": date(2022, 4, 8), "date_to": date(2022, 4, 8)}):
        where, params = store._filters(
            filters.get("place"), filters.get("date_from"), filters.get("date_to")
        )
        plan = " ".join(
            row[3]
            for row in store.db.execute(
                f"explain query plan select * from events e where {where}"
                f" order by {importance_order()} limit 5",
                params,
            )
        )
        assert "importance" in plan and "TEMP B-TREE" not in plan, plan
