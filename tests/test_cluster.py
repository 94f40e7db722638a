"""Candidates from many articles become one event per place, day, happening and target."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

from datetime import date

import pytest

from store.cluster import candidate_key, event_key, mention_row, merge_figures, merge_mentions
from store.models import Candidate, Count, Place, ResolvedDate

KHARKIV = Place(706483, "Kharkiv", "07", "Kharkiv Oblast", population=1_421_125)
KYIV = Place(703448, "Kyiv", "12", "Kyiv City", population=2_952_301)
WED = date(2022, 3, 2)
SHELLING = "Shelling/artillery/missile attack"


def candidate(
    article_id: str = "a1",
    place: Place = KHARKIV,
    day: date | None = WED,
    precision: str = "day",
    sub_event_type: str = SHELLING,
    event_type: str = "Explosions/Remote violence",
    target: str = "",
    killed: Count | None = None,
    injured: Count | None = None,
    claimed_by: str = "",
    is_claim: bool = False,
    confidence: float = 0.9,
    start: int = 0,
    sentence: str = "Shelling hit Kharkiv.",
    place_precision: str = "exact",
) -> Candidate:
    return Candidate(
        article_id=article_id,
        place=place,
        place_precision=place_precision,
        date=ResolvedDate(day, precision, "Wednesday"),
        event_type=event_type,
        sub_event_type=sub_event_type,
        sentence=sentence,
        start=start,
        end=start + len(sentence),
        target=target,
        killed=killed,
        injured=injured,
        claimed_by=claimed_by,
        is_claim=is_claim,
        confidence=confidence,
    )


def row(**kwargs) -> dict:
    c = candidate(**kwargs)
    return mention_row(c, candidate_key(c))


def figures(mentions: list[dict], name: str) -> tuple:
    merged = merge_figures(mentions, name)
    return merged[f"{name}_low"], merged[f"{name}_high"], merged[f"{name}_qualifier"]


# --- keys ----------------------------------------------------------------------------------


def test_event_key_format():
    assert "706483|2022-03-02|strike|hospital" == event_key(
        706483, "2022-03-02", SHELLING, "hospital"
    )


def test_event_key_with_unknown_day():
    assert "706483|unknown|Armed clash|" == event_key(706483, None, "Armed clash", "")


@pytest.mark.parametrize(
    "sub_event_type", [SHELLING, "Air/drone strike", "Looting/property destruction"]
)
def test_strike_family_shares_a_key(sub_event_type):
    assert event_key(1, "2022-03-02", SHELLING, "") == event_key(
        1, "2022-03-02", sub_event_type, ""
    )


@pytest.mark.parametrize(
    "sub_event_type", ["Protest with intervention", "Excessive force against protesters"]
)
def test_a_rally_and_what_the_forces_did_to_it_share_a_key(sub_event_type):
    # "anti-Russian rallies held in the town" and "Russian military disperse rally in the town"
    assert event_key(1, "2022-03-20", "Peaceful protest", "") == event_key(
        1, "2022-03-20", sub_event_type, ""
    )


def test_a_rally_broken_up_is_shown_as_that_whatever_the_reports_of_the_rally_alone():
    rows = [
        mention_row(candidate(sub_event_type="Peaceful protest", event_type="Protests"), "k"),
        mention_row(
            candidate(sub_event_type="Protest with intervention", event_type="Protests"), "k"
        ),
    ]
    assert "Protest with intervention" == merge_mentions("k", rows)["sub_event_type"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({}, {"place": KYIV}),
        ({}, {"day": date(2022, 3, 1)}),
        ({}, {"target": "hospital"}),
        ({}, {"sub_event_type": "Armed clash", "event_type": "Battles"}),
        ({}, {"day": None, "precision": "unknown"}),
    ],
)
def test_different_happenings_get_different_keys(a, b):
    assert candidate_key(candidate(**a)) != candidate_key(candidate(**b))


def test_same_happening_from_two_articles_shares_a_key():
    assert candidate_key(candidate(article_id="a1")) == candidate_key(candidate(article_id="a2"))


def test_approximate_date_keys_on_its_own_day():
    approx = candidate(day=WED, precision="approximate")
    assert candidate_key(candidate(day=WED)) == candidate_key(approx)
    assert candidate_key(candidate(day=date(2022, 3, 1))) != candidate_key(approx)


# --- mention rows --------------------------------------------------------------------------


def test_mention_row_flattens_counts():
    r = row(killed=Count(21, None, "at_least"), injured=Count(112, 112, "exact"))
    assert (21, None, "at_least") == (r["killed_low"], r["killed_high"], r["killed_qualifier"])
    assert (112, 112, "exact") == (r["injured_low"], r["injured_high"], r["injured_qualifier"])


def test_mention_row_without_counts():
    r = row()
    assert (None, None, None) == (r["killed_low"], r["killed_high"], r["killed_qualifier"])


def test_mention_row_dates():
    assert ("2022-03-02", "day") == (row()["date"], row()["date_precision"])
    unknown = row(day=None, precision="unknown")
    assert (None, "unknown") == (unknown["date"], unknown["date_precision"])


def test_mention_row_claim_is_int():
    assert 1 == row(is_claim=True)["is_claim"]
    assert 0 == row()["is_claim"]


# --- figures -------------------------------------------------------------------------------


def test_sources_disagreeing_give_a_range():
    mentions = [
        row(article_id="002", injured=Count(100, 100, "exact")),
        row(article_id="003", injured=Count(112, 112, "exact")),
    ]
    assert (100, 112, "exact") == figures(mentions, "injured")


def test_at_least_21_and_21_is_21():
    mentions = [
        row(article_id="002", killed=Count(21, 21, "exact")),
        row(article_id="003", killed=Count(21, None, "at_least")),
    ]
    low, high, _ = figures(mentions, "killed")
    assert 21 == low
    assert high in (21, None)


def test_at_least_from_every_source_stays_at_least():
    mentions = [
        row(article_id="a", killed=Count(21, None, "at_least")),
        row(article_id="b", killed=Count(21, None, "at_least")),
    ]
    assert (21, None, "at_least") == figures(mentions, "killed")


def test_at_least_sources_disagreeing_keep_both_ends():
    mentions = [
        row(article_id="a", killed=Count(17, None, "at_least")),
        row(article_id="b", killed=Count(21, None, "at_least")),
    ]
    assert (17, 21, "at_least") == figures(mentions, "killed")


def test_vague_only_is_vague_with_no_number():
    mentions = [row(injured=Count(None, None, "vague", "dozens"))]
    assert (None, None, "vague") == figures(mentions, "injured")


def test_vague_and_a_number_keeps_the_number():
    mentions = [
        row(article_id="a", injured=Count(None, None, "vague", "dozens")),
        row(article_id="b", injured=Count(40, 40, "exact")),
    ]
    assert (40, 40) == figures(mentions, "injured")[:2]


def test_approximate_source_makes_the_figure_approximate():
    mentions = [
        row(article_id="a", killed=Count(10, 10, "approximate")),
        row(article_id="b", killed=Count(12, 12, "exact")),
    ]
    assert (10, 12, "approximate") == figures(mentions, "killed")


def test_no_figures_stay_none():
    assert (None, None, None) == figures([row(), row(article_id="b")], "killed")


def test_one_exact_figure():
    assert (21, 21, "exact") == figures([row(killed=Count(21, 21, "exact"))], "killed")


def test_figure_from_one_source_is_kept_when_another_is_silent():
    mentions = [row(article_id="a", killed=Count(5, 5, "exact")), row(article_id="b")]
    assert (5, 5, "exact") == figures(mentions, "killed")


# --- merged events -------------------------------------------------------------------------


def test_merge_keeps_every_article():
    mentions = [
        row(article_id="002", start=0),
        row(article_id="002", start=100),
        row(article_id="003", start=0),
    ]
    event = merge_mentions(mentions[0]["event_key"], mentions)
    assert 2 == event["n_sources"]


def test_n_sources_counts_distinct_articles():
    mentions = [row(article_id=a) for a in ("001", "002", "003", "003")]
    assert 3 == merge_mentions(mentions[0]["event_key"], mentions)["n_sources"]


def test_merge_shelling_toll():
    mentions = [
        row(article_id="002", killed=Count(21, 21, "exact"), injured=Count(100, 100, "exact")),
        row(
            article_id="003",
            killed=Count(21, None, "at_least"),
            injured=Count(112, 112, "exact"),
            claimed_by="regional governor Oleg Synegubov",
        ),
    ]
    event = merge_mentions(mentions[0]["event_key"], mentions)
    assert (100, 112) == (event["injured_low"], event["injured_high"])
    assert 21 == event["killed_low"]
    assert "regional governor Oleg Synegubov" == event["claimed_by"]
    assert 2 == event["n_sources"]


def test_merge_keeps_the_key_place_and_date():
    mentions = [row(article_id="a"), row(article_id="b")]
    event = merge_mentions("k", mentions)
    assert ("k", KHARKIV.id, "2022-03-02") == (event["key"], event["place_id"], event["date"])


def test_merge_best_precision_wins():
    mentions = [
        row(article_id="a", precision="approximate"),
        row(article_id="b", precision="day"),
    ]
    assert "day" == merge_mentions("k", mentions)["date_precision"]


def test_merge_claims_are_joined():
    mentions = [
        row(article_id="a", claimed_by="Russia's defence ministry", is_claim=True),
        row(article_id="b", claimed_by="Russian forces", is_claim=True),
    ]
    event = merge_mentions("k", mentions)
    assert "Russia's defence ministry; Russian forces" == event["claimed_by"]
    assert 1 == event["is_claim"]


def test_merge_is_a_claim_only_when_every_source_claims():
    mentions = [
        row(article_id="a", claimed_by="Russia's defence ministry", is_claim=True),
        row(article_id="b", claimed_by="local Ukrainian officials", is_claim=False),
    ]
    assert 0 == merge_mentions("k", mentions)["is_claim"]


def test_merge_sub_type_most_sources_use_wins_over_destroyed():
    mentions = [
        row(article_id="a", sub_event_type="Looting/property destruction",
            event_type="Strategic developments"),
        row(article_id="b", sub_event_type=SHELLING),
    ]  # fmt: skip
    assert SHELLING == merge_mentions("k", mentions)["sub_event_type"]


def test_merge_more_sources_raise_confidence():
    one = merge_mentions("k", [row(article_id="a")])
    two = merge_mentions("k", [row(article_id="a"), row(article_id="b")])
    assert two["confidence"] > one["confidence"]
    assert two["confidence"] <= 1.0


def test_merge_summary_is_the_most_confident_sentence():
    mentions = [
        row(article_id="a", sentence="Weak sentence.", confidence=0.6),
        row(article_id="b", sentence="Strong sentence.", confidence=0.9),
    ]
    assert "Strong sentence." == merge_mentions("k", mentions)["summary"]


# --- incremental merging -------------------------------------------------------------------


def _reports() -> list[list[dict]]:
    """Five articles of one happening, each a list of its mentions, as stored (by id): an
    untrusted first report, a toll that rises in a later article, claims, targets, sub-types."""
    first = [row(article_id="a", confidence=0.3, sentence="Blasts heard.", precision="approximate")]
    second = [
        row(article_id="b", killed=Count(3, 3, "exact"), claimed_by="police", start=40),
        row(article_id="b", sub_event_type="Air/drone strike", target="hospital", start=90),
    ]
    third = [row(article_id="c", killed=Count(5, None, "at_least"), is_claim=True)]
    fourth = [
        row(article_id="d", sentence="Strong sentence.", killed=Count(7, 7, "exact")),
        row(article_id="d", claimed_by="police", target="hospital", place_precision="oblast"),
    ]
    fifth = [row(article_id="e", confidence=0.45, injured=Count(2, 4, "approximate"))]
    for mention, published in ((third[0], "2022-03-03"), (fourth[0], "2022-03-03")):
        mention["published"] = published
    return [first, second, third, fourth, fifth]


def test_mentions_added_an_article_at_a_time_merge_as_all_at_once():
    articles = _reports()
    every = [m for article in articles for m in article]
    whole = merge_mentions("k", every)
    event = None
    for article in articles:
        event = merge_mentions("k", article, event)
    assert whole == event
    assert (3, "exact") == (whole["n_sources"], whole["killed_qualifier"])  # "e" is untrusted
    assert (5, 7) == (whole["killed_low"], whole["killed_high"])


def test_a_first_untrusted_report_gives_way_to_the_trusted_ones_added_later():
    first, second = _reports()[:2]
    alone = merge_mentions("k", first)
    assert ("Blasts heard.", 1) == (alone["summary"], alone["n_sources"])
    event = merge_mentions("k", second, alone)
    assert 1 == event["n_sources"]  # the untrusted article no longer counts
    assert "day" == event["date_precision"]
    assert merge_mentions("k", first + second) == event


def test_plunder_is_a_happening_of_its_own_beside_the_strike_of_that_day():
    looting = "Looting/property destruction"
    damage = event_key(1, "2022-04-19", looting, "", "Shelling destroyed two houses in the city.")
    plunder = event_key(1, "2022-04-19", looting, "", "A new wave of looting began in the city.")
    assert damage == event_key(1, "2022-04-19", SHELLING, "")
    assert plunder != damage


def test_a_toll_update_the_same_day_revises_the_figure_instead_of_a_range():
    first = row(article_id="001", killed=Count(2, 2, "exact"))
    update = row(article_id="002", killed=Count(5, 5, "exact"))
    update["sentence"] = "Kyiv airstrike update: death toll grows to five"
    for mentions in ([first, update], [update, first]):
        event = merge_mentions(first["event_key"], mentions)
        assert (5, 5) == (event["killed_low"], event["killed_high"])


def test_a_headline_s_smaller_figure_is_part_of_its_own_lead_s_toll_not_a_range():
    headline = row(
        article_id="a",
        injured=Count(3, 3, "exact"),
        sentence="Russian forces shell the town, injuring three children",
    )
    lead = row(
        article_id="a",
        injured=Count(7, 7, "exact"),
        start=60,
        sentence="Seven civilians, including three children, were injured in the shelling.",
    )
    for mentions in ([headline, lead], [lead, headline]):
        event = merge_mentions(headline["event_key"], mentions)
        assert (7, 7) == (event["injured_low"], event["injured_high"])
    # another article of that day that gives a third figure: the sources differ
    other = row(article_id="b", injured=Count(5, 5, "exact"))
    event = merge_mentions(headline["event_key"], [headline, lead, other])
    assert (5, 7) == (event["injured_low"], event["injured_high"])


def test_an_aircraft_shot_down_is_not_the_bombing_of_the_city_that_day():
    shelling = "Shelling/artillery/missile attack"
    down = event_key(
        1, "2022-03-20", shelling, "", "A Russian warplane was shot down over the city."
    )
    assert down != event_key(1, "2022-03-20", shelling, "", "Russian planes bombed the city.")


def test_a_later_smaller_figure_is_one_victim_s_story_not_a_toll_that_fell():
    on_the_day = row(article_id="a", injured=Count(17, None, "at_least"))
    on_the_day["published"] = "2022-03-09"
    days_later = row(
        article_id="b",
        injured=Count(1, 1, "exact"),
        sentence="A pregnant woman, injured in the airstrike on the hospital, dies.",
    )
    days_later["published"] = "2022-03-14"
    event = merge_mentions("k", [on_the_day, days_later])
    assert (17, None) == (event["injured_low"], event["injured_high"])
    # a later toll that rises is the revision
    rising = row(article_id="c", injured=Count(20, 20, "exact"))
    rising["published"] = "2022-03-10"
    event = merge_mentions("k", [on_the_day, rising])
    assert (20, 20) == (event["injured_low"], event["injured_high"])


def test_the_summary_prefers_an_account_that_is_no_side_s_claim():
    claimed = row(
        article_id="a", sentence="People in the town were killed by the other side.", is_claim=True
    )
    reported = row(
        article_id="b", sentence="Feet tied and a bullet to the head: a killing in the town."
    )
    for mentions in ([claimed, reported], [reported, claimed]):
        summary = merge_mentions("k", mentions)["summary"]
        assert summary == "Feet tied and a bullet to the head: a killing in the town."
