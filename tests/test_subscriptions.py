"""Which events a subscription wants: keyword filters match word forms."""

from __future__ import annotations

from store.subscriptions import Subscription, Subscriptions


def test_a_keyword_filter_matches_its_word_forms(store):
    subs = Subscriptions(store)
    event = {
        "place_id": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "admin1": "07",
        "country": "UA",
    }
    wants = Subscription(1, 1, 0, "all", None, "all", include_words=("hospital",))
    refuses = Subscription(2, 1, 0, "all", None, "all", exclude_words=("strike",))
    assert subs.matches(wants, event, "Missiles hit two hospitals in Kharkiv.")
    assert not subs.matches(wants, event, "Missiles hit a school in Kharkiv.")
    assert not subs.matches(refuses, event, "Air strikes hit Kharkiv.")
