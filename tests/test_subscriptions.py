"""Which events a subscription wants: keyword filters match word forms."""

from __future__ import annotations

from datetime import date

import pytest

from bot.subscribing import describe
from store.indexer import index_articles
from store.models import Article
from store.subscriptions import Subscription, Subscriptions, Threshold


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


STRIKE = (
    "A Russian missile hit the railway station in Kramatorsk on Friday, killing 4,"
    " the governor said."
)
SECOND = "A missile struck the railway station in Kramatorsk on Friday, killing 4, the mayor said."


def _index(store, name: str, text: str) -> None:
    published = date(2022, 4, 8)
    article = Article(id=name, text=text, published=published, title=name, url="", publisher="")
    index_articles(store, [article])


@pytest.mark.parametrize(
    ("threshold", "met"),
    [
        (Threshold(2, "sources"), True),
        (Threshold(3, "sources"), False),
        (Threshold(5, "killed"), True),
        (Threshold(6, "killed"), False),  # the lower figure counts: 5–8 is at least 5
        (Threshold(3, "injured"), False),
        (Threshold(7, "casualties"), True),
        (Threshold(8, "casualties"), False),
    ],
)
def test_a_threshold_is_met_by_the_events_lower_figures(threshold, met):
    event = {"n_sources": 2, "killed_low": 5, "killed_high": 8, "injured_low": 2}
    assert met == threshold.met(event)


def test_an_event_below_a_threshold_is_queued_when_a_revision_reaches_it(store):
    subs = Subscriptions(store)
    subs.add(-1, 0, "all", None, "all", threshold=Threshold(2, "sources"))
    subs.add(-2, 0, "all", None, "all")
    _index(store, "first", STRIKE)
    assert 1 == subs.enqueue()  # only the chat without a threshold
    assert [-2] == [row["chat_id"] for row in subs.pending()]
    _index(store, "second", SECOND)
    subs.enqueue()
    assert [-2, -1] == sorted(row["chat_id"] for row in subs.pending())


def test_a_threshold_is_part_of_what_makes_a_subscription_distinct(store):
    subs = Subscriptions(store)
    _, created = subs.add(-1, 0, "all", None, "all", threshold=Threshold(5, "killed"))
    _, again = subs.add(-1, 0, "all", None, "all", threshold=Threshold(5, "killed"))
    _, other = subs.add(-1, 0, "all", None, "all")
    assert (created, again, other) == (True, False, True)
    assert [Threshold(5, "killed"), None] == [s.threshold for s in subs.of_chat(-1)]


@pytest.mark.parametrize(
    ("lang", "listed"),
    [("en", "all, min 5 killed"), ("uk", "all, щонайменше 5 загиблих")],
)
def test_the_listing_says_the_threshold_in_the_chats_language(store, lang, listed):
    sub, _ = Subscriptions(store).add(-1, 0, "all", None, "all", threshold=Threshold(5, "killed"))
    assert listed == describe(sub, lang)


def test_the_first_digest_after_subscribing_lists_only_what_came_after(seeded_store):
    subs = Subscriptions(seeded_store)
    subs.add(-1, 0, "all", None, "all")
    assert [] == subs.digest_events(-1, subs.digest_cursor(-1))  # the seeds came before
    _index(seeded_store, "first", STRIKE)
    [event] = subs.digest_events(-1, subs.digest_cursor(-1))
    assert "Kramatorsk" in event["summary"]
    subs.advance_digest(-1, "2022-04-08")
    assert [] == subs.digest_events(-1, subs.digest_cursor(-1))


def test_a_digest_lists_the_days_main_events_first(store):
    subs = Subscriptions(store)
    subs.add(-1, 0, "all", None, "all")
    _index(store, "school", "Shelling damaged a school in Kramatorsk on Friday, the mayor said.")
    _index(store, "first", STRIKE)
    _index(store, "second", SECOND)
    events = subs.digest_events(-1, 0)
    assert ["railway station", "school"] == [e["target"] for e in events]
