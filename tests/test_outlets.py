"""Whose side an outlet speaks for, and what that makes of its reports."""

from __future__ import annotations

from datetime import date

import pytest

from store.extract import extract_events
from store.extract.attribution import find_attribution
from store.extract.outlets import outlet_of
from store.indexer import index_articles
from store.models import Article

TEXT = "Ukrainian troops looted shops in the town of Bucha on Friday."
DAY = date(2022, 4, 2)


@pytest.mark.parametrize(
    "url,publisher,label",
    [
        ("https://www.rt.com/russia/1/", "", "RT (Russian state media)"),
        ("", "en.news-front.info", "News Front (Russian state media)"),
        ("https://www.ukrinform.net/rubric-ato/1.html", "", "Ukrinform (Ukrainian state media)"),
        ("", "TASS", "TASS (Russian state media)"),
    ],
)
def test_a_belligerents_state_media_is_known_by_its_address_or_name(url, publisher, label):
    outlet = outlet_of(Article("a", TEXT, DAY, url=url, publisher=publisher))
    assert outlet is not None and outlet.speaks_for_a_party and label == outlet.label


def test_a_report_in_one_sides_state_media_is_that_sides_claim(gazetteer):
    article = Article("rt", TEXT, DAY, url="https://www.rt.com/russia/1/")
    (found,) = extract_events(article, gazetteer).candidates
    assert (True, "RT (Russian state media)") == (found.is_claim, found.claimed_by)


def test_a_wire_report_is_no_claim_and_an_event_a_wire_confirms_is_no_claim(store):
    rt = Article("rt", TEXT, DAY, url="https://www.rt.com/russia/1/", publisher="rt.com")
    wire = Article("wire", TEXT, DAY, url="https://www.reuters.com/world/1", publisher="Reuters")
    index_articles(store, iter([rt]))
    assert [1] == [r[0] for r in store.db.execute("select is_claim from events")]
    index_articles(store, iter([wire]))
    assert [0] == [r[0] for r in store.db.execute("select is_claim from events")]


def test_ukraines_military_is_a_party_too():
    said = find_attribution("Russia lost 40 tanks near Izium, the General Staff said.")
    assert said is not None and said.is_claim
