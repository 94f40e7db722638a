"""Which event a mention is another report of (store/identity.py), on rows as the database
holds them, then through a real SQLite file with articles told one after another."""

from __future__ import annotations

from datetime import date

import pytest

from store.db import Store
from store.extract import extract_events
from store.identity import apart, kinds_agree, one_key_per_happening, resolve
from store.models import Article

SHELLING = "Shelling/artillery/missile attack"


def mention(
    day="2022-04-08",
    precision="day",
    sub=SHELLING,
    target="",
    killed=None,
    key=None,
) -> dict:
    return {
        "event_key": key or f"1|{day}|{sub}|{target}",
        "date": day,
        "date_precision": precision,
        "sub_event_type": sub,
        "target": target,
        "killed_low": killed,
        "killed_high": killed,
        "injured_low": None,
        "injured_high": None,
    }


def event(day="2022-04-08", sub=SHELLING, target="railway station", sources=1, killed=None):
    return {
        "key": f"1|{day}|strike|{target}",
        "date": day,
        "sub_event_type": sub,
        "target": target,
        "n_sources": sources,
        "killed_low": killed,
        "killed_high": killed,
        "injured_low": None,
        "injured_high": None,
    }


STATION = event(sources=5, killed=50)


@pytest.mark.parametrize(
    ("why", "new"),
    [
        # "The death toll from the strike on the railway station has risen to 57" two days on
        (
            "target.later",
            mention("2022-04-10", "approximate", target="railway station", killed=57),
        ),
        # "Russian forces attacked the railway station" the same day: a bare attack
        (
            "target.same_day",
            mention(sub="Armed clash", target="railway station"),
        ),
        # "Kramatorsk attack kills 50": no day, no target, the figure of the day before
        (
            "follow_up",
            mention("2022-04-09", "approximate", sub="Armed clash", killed=50),
        ),
        # "A missile hit Kramatorsk, killing 50" the same day: no target, the same figure
        ("no_target.same_day", mention(killed=50)),
        # "the station strike on Saturday", read a day late
        (
            "target.day_before",
            mention("2022-04-09", target="railway station"),
        ),
    ],
)
def test_reports_of_one_happening_join_it(why, new):
    joined = resolve(new, [STATION])
    assert joined is not None
    assert (STATION["key"], why) == (joined.key, joined.why)


@pytest.mark.parametrize(
    "new",
    [
        mention(target="hospital"),  # another named target
        mention(killed=4),  # no target, its own day and its own figure
        mention(),  # no target, its own day, nothing shared
        mention("2022-04-09", "approximate", killed=1582),  # a city-wide toll
        mention("2022-04-11", target="railway station"),  # its own day, days later
        mention("2022-04-09", "approximate", sub="Peaceful protest"),  # another kind
        mention("2022-04-07", "approximate", target="railway station"),  # before the event
    ],
)
def test_other_happenings_stay_apart(new):
    assert resolve(new, [STATION]) is None


def test_a_rising_toll_with_no_day_or_target_follows_up_the_big_happening_of_days_before():
    # "Death toll from Kramatorsk missile strike rises to 57", two days after the station
    update = mention("2022-04-10", "approximate", killed=57)
    update["sentence"] = "Death toll from Kramatorsk missile strike rises to 57, official says"
    joined = resolve(update, [STATION])
    assert joined is not None and (STATION["key"], "toll_update") == (joined.key, joined.why)


def test_explosions_heard_the_day_of_a_strike_there_are_that_strike():
    heard = mention()
    heard["sentence"] = "Early in the morning several explosions were heard in the city."
    joined = resolve(heard, [STATION])
    assert joined is not None and (STATION["key"], "heard") == (joined.key, joined.why)
    # with figures of its own it is a report of a happening of its own
    counted = dict(heard, killed_low=2, killed_high=2)
    assert resolve(counted, [STATION]) is None


def test_a_toll_without_a_rise_or_after_a_small_event_stays_apart():
    total = mention("2022-04-10", "approximate", killed=57)
    total["sentence"] = "57 civilians have been killed in Kramatorsk, the mayor said"
    assert resolve(total, [STATION]) is None
    update = dict(total, sentence="The death toll rose to 57")
    assert resolve(update, [event(sources=1, killed=50)]) is None


def test_a_report_with_no_target_and_no_figure_follows_up_no_event_of_the_day_before():
    # "Air strikes are hitting the centre of Mariupol" the day after the maternity hospital
    assert resolve(mention("2022-04-09", "approximate"), [STATION]) is None


def test_a_mention_of_the_target_prefers_the_event_with_that_target():
    hospital = event(target="hospital", sources=30)
    joined = resolve(
        mention("2022-04-09", "approximate", target="railway station"), [hospital, STATION]
    )
    assert joined is not None and STATION["key"] == joined.key


def test_a_bare_attack_agrees_with_any_violent_kind_but_not_a_protest():
    assert kinds_agree("Armed clash", SHELLING)
    assert kinds_agree("Armed clash", "Attack")
    # an evacuation bus fired on is no shelling of the town
    assert not kinds_agree("Attack", "Air/drone strike")
    assert not kinds_agree("Armed clash", "Peaceful protest")
    assert not kinds_agree("Peaceful protest", "Abduction/forced disappearance")


# --- through the database -------------------------------------------------------------------

STORIES = [
    (
        "k1",
        "2022-04-08",
        "A missile struck the railway station in Kramatorsk on Friday, killing 30 people, "
        "the regional governor said.",
    ),
    ("k2", "2022-04-08", "Russian missile strike on Kramatorsk railway station kills 39."),
    ("k3", "2022-04-08", "A Russian missile hit the railway station in Kramatorsk on Friday."),
    (
        "k4",
        "2022-04-09",
        "The death toll from the missile strike on the railway station in Kramatorsk has "
        "risen to 52, officials said.",
    ),
    ("k5", "2022-04-09", "Kramatorsk attack kills 52, drawing global outrage."),
    ("k6", "2022-04-08", "Russian forces shelled a hospital in Kramatorsk on Friday."),
]


def _index(store: Store, stories) -> None:
    gazetteer = store.gazetteer()
    for article_id, day, text in stories:
        article = Article(article_id, text, date.fromisoformat(day))
        store.replace_article(article, extract_events(article, gazetteer).candidates)


def _kramatorsk(store: Store) -> list[dict]:
    return [
        dict(r)
        for r in store.db.query(
            "select e.id, e.date, e.target, e.killed_low, e.killed_high, e.n_sources from events e"
            " join places p on p.id = e.place_id where p.name = 'Kramatorsk' order by e.id"
        )
    ]


def test_a_strike_and_its_follow_ups_are_one_event_on_its_own_day_with_the_latest_toll(store):
    _index(store, STORIES)
    events = _kramatorsk(store)
    station = [e for e in events if e["target"] == "railway station"]
    assert 1 == len(station)
    # the toll published last is shown, not a range over the days it rose
    assert ("2022-04-08", 52, 52, 5) == (
        station[0]["date"],
        station[0]["killed_low"],
        station[0]["killed_high"],
        station[0]["n_sources"],
    )
    assert ["hospital"] == [e["target"] for e in events if e["target"] != "railway station"]


def test_the_order_articles_arrive_in_does_not_split_the_happening(store):
    _index(store, [STORIES[4], *STORIES[:4]])  # the undated reaction first
    station = [e for e in _kramatorsk(store) if e["target"] == "railway station"]
    assert 1 == len(station) and 5 == station[0]["n_sources"]
    assert 1 == len(_kramatorsk(store))


def test_why_a_report_joined_is_kept_with_it(store):
    _index(store, STORIES[:5])
    why = store.db.execute("select joined from mentions where article_id = 'k4'").fetchone()[0]
    assert "target.later" == why


def test_a_report_with_no_target_stays_with_a_happening_another_report_dated():
    landing = {**event(sub="Armed clash", target=""), "key": "1|2022-04-08|Armed clash|"}
    landing["date_precision"] = "day"
    new = mention(precision="approximate", sub="Armed clash", key=landing["key"])
    hospital = event(sub="Armed clash", target="hospital", sources=3)
    assert resolve(new, [landing, hospital]) is None


def test_two_events_of_one_target_that_grew_apart_become_one(store):
    stories = [
        ("a1", "2022-04-08", "Russian forces attacked the railway station in Kramatorsk."),
        ("a2", "2022-04-08", "Russian troops attacked the railway station in Kramatorsk today."),
        ("a3", "2022-04-08", "A missile hit the railway station in Kramatorsk on Friday."),
        ("a4", "2022-04-08", "Missiles struck the railway station in Kramatorsk on Friday."),
        ("a5", "2022-04-08", "A missile strike hit the railway station in Kramatorsk on Friday."),
    ]
    _index(store, stories)
    assert 1 == len([e for e in _kramatorsk(store) if e["target"] == "railway station"])


def test_event_says_why_each_report_was_merged_and_how_the_toll_rose(store):
    from bot.pages import render_event_pages

    _index(store, STORIES[:5])
    station = next(e for e in _kramatorsk(store) if e["target"] == "railway station")
    event = store.event(station["id"])
    pages = render_event_pages(event, store.sources([event["key"]])[event["key"]])
    text = "\n".join(pages)
    assert "merged: a later report of the same target" in text
    assert "merged: a later report that gives no day of its own" in text
    assert "Killed, as reported over time: 30 (Fri 8 Apr 2022), 39, 52 (Sat 9 Apr 2022)" in text


HIGH_RISE = event("2022-04-28", target="residential building", sources=5, killed=1)


def test_a_house_hit_told_the_day_after_big_news_of_one_hit_there_with_its_toll_is_it():
    # "The attack hit a residential high-rise and killed at least one person, the mayor said
    # Friday" after Thursday's strike on a high-rise there, one killed, told by five sources
    new = mention("2022-04-29", "approximate", target="residential building", killed=1)
    joined = resolve(new, [HIGH_RISE])
    assert joined is not None
    assert (HIGH_RISE["key"], "target.day_before") == (joined.key, joined.why)


@pytest.mark.parametrize(
    ("new", "near"),
    [
        # another toll: another house
        (mention("2022-04-29", "approximate", target="residential building", killed=3), HIGH_RISE),
        # a house hit that was no big news
        (
            mention("2022-04-29", "approximate", target="residential building", killed=1),
            {**HIGH_RISE, "n_sources": 1},
        ),
        # two days on
        (mention("2022-04-30", "approximate", target="residential building", killed=1), HIGH_RISE),
        # a day of its own
        (mention("2022-04-29", target="residential building", killed=1), HIGH_RISE),
    ],
)
def test_a_house_hit_the_day_after_is_another_unless_big_news_with_its_toll(new, near):
    joined = resolve(new, [near])
    assert joined is None or joined.key != near["key"]


# --- the texts decide close cases -----------------------------------------------------------


def told(event_row: dict, *sentences: str) -> dict:
    """An event row as `Store._events_near` gives it: with the sentences of its reports."""
    return {**event_row, "date_precision": "approximate", "sentences": " ".join(sentences)}


def said(row: dict, sentence: str, **fields) -> dict:
    return {**row, "sentence": sentence, "place_precision": "exact", **fields}


STRIKE_KEY = "1|2022-04-08|strike|"
PORT = told(
    {**event(target=""), "key": STRIKE_KEY},
    "Russian artillery shelled the seaport of the city on Friday morning.",
)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Shells hit the seaport.", "The armored plant came under fire.", True),
        ("A shell hit a house in the Podilskyi district.", "Obolonskyi district was hit.", True),
        ("Bombs fell on the drama theater.", "The theatre was bombed.", False),
        ("Missiles hit the city.", "The armored plant came under fire.", False),  # one names none
        ("Shells hit the port and a plant.", "The plant burned after shelling.", False),
        # a plane and a helicopter downed over one oblast the same day are two shoot-downs
        ("A Russian plane was shot down over the region.", "A helicopter was downed.", True),
        ("Two enemy planes were shot down.", "Air defence downed a plane near the city.", False),
        # a repair plant by its other name is the same thing; a research facility is not it
        ("Missiles hit an aircraft repair facility.", "A missile hit the repair plant.", False),
        ("Shells hit a nuclear research facility.", "The armored plant came under fire.", True),
    ],
)
def test_reports_naming_different_things_hit_are_apart(a, b, expected):
    assert expected == apart(a, b)


def test_a_report_of_another_thing_hit_under_the_same_key_is_a_happening_of_its_own():
    plant = said(mention(key=STRIKE_KEY), "Rockets hit the armored plant in the city on Friday.")
    joined = resolve(plant, [PORT])
    assert joined is not None and (STRIKE_KEY + "#2", "apart") == (joined.key, joined.why)
    # the next report of the plant joins that one, a report naming nothing stays with the first
    second = told({**PORT, "key": STRIKE_KEY + "#2"}, plant["sentence"])
    again = said(mention(key=STRIKE_KEY), "The armored plant was burning after the shelling.")
    joined = resolve(again, [PORT, second])
    assert joined is not None and STRIKE_KEY + "#2" == joined.key
    assert resolve(said(mention(key=STRIKE_KEY), "Shelling hit the city."), [PORT, second]) is None


def test_a_report_that_says_it_tells_another_strike_is_apart_unless_it_shares_a_figure():
    another = said(mention(key=STRIKE_KEY), "Another shell hit a private house in the city.")
    assert "apart" == resolve(another, [PORT]).why
    with_toll = told({**PORT, "killed_low": 4, "killed_high": 4}, PORT["sentences"])
    assert resolve({**another, "killed_low": 4, "killed_high": 4}, [with_toll]) is None


@pytest.mark.parametrize(
    ("sentence", "killed", "same"),
    [
        ("Shelling of the region: fighting goes on near the front line.", None, False),
        ("Two missiles struck the Yavoriv training ground in the region.", None, True),
        ("Three people were killed by shelling in the region.", 3, True),
    ],
)
def test_at_an_oblast_reports_with_no_target_are_one_happening_only_when_their_texts_agree(
    sentence, killed, same
):
    oblast = told(
        {**event(target="", killed=3), "key": STRIKE_KEY},
        "Missiles hit the Yavoriv training ground in the region; three people were killed.",
    )
    oblast["date_precision"] = "day"  # both give their day, as coders' notes do
    new = said(mention(key=STRIKE_KEY, killed=killed), sentence, place_precision="oblast")
    assert same == (resolve(new, [oblast]) is None)


@pytest.mark.parametrize(
    ("killed", "same"),
    [
        (None, True),  # the day's shelling of the region, with or without its toll
        (1, True),
        (4, False),  # figures that differ: another happening
    ],
)
def test_at_an_oblast_the_days_report_dated_only_by_its_paper_is_the_days_happening_there(
    killed, same
):
    # "Donetsk Region under extensive shelling by Russians" in the day's paper, and "one
    # civilian killed, six wounded in Russian shelling in Donetsk region on March 26"
    paper = told(
        {**event(target="", killed=1), "key": STRIKE_KEY},
        "The region is under extensive shelling by Russians.",
    )
    dated = said(
        mention(key=STRIKE_KEY, killed=killed),
        "In the region, civilians were killed and wounded in Russian shelling on Friday.",
        place_precision="oblast",
    )
    assert same == (resolve(dated, [paper]) is None)


def test_a_vague_target_is_no_evidence_across_days():
    homes = told(event(target="residential building", sources=5), "Shells hit homes in the city.")
    later = said(
        mention("2022-04-10", "approximate", target="residential building"), "Shelling of homes."
    )
    assert resolve(later, [homes]) is None
    same_day = said(mention(target="residential building"), "Shelling of homes.")
    assert "target.same_day" == resolve(same_day, [homes]).why


def test_a_report_with_no_target_and_no_day_joins_the_big_news_of_the_day_or_an_alike_one():
    station = told(STATION, "A missile struck the railway station in Kramatorsk.")
    outrage = said(mention(precision="approximate"), "Kramatorsk attack sparks outrage abroad.")
    assert "no_target.same_day" == resolve(outrage, [station]).why
    small = told(
        {**STATION, "n_sources": 1, "killed_low": None, "killed_high": None},
        "Shells hit the station.",
    )
    assert resolve(outrage, [small]) is None
    alike_words = said(
        mention(precision="approximate"),
        "Outrage abroad as the attack on Kramatorsk spreads grief.",
    )
    small_alike = told(small, "Kramatorsk attack: outrage abroad, grief at home.")
    assert "no_target.same_day" == resolve(alike_words, [small_alike]).why
    # what is going on now is news of its own, not the big news retold
    ongoing = said(
        mention(precision="approximate"), "Russian air strikes are now hitting the city."
    )
    assert resolve(ongoing, [station]) is None
    # nor is a fight told ("'Tanks in streets' as fighting hits the city centre")
    fight = said(
        mention(precision="approximate", sub="Armed clash"),
        "'Tanks in streets' as fighting hits the city centre.",
    )
    assert resolve(fight, [station]) is None


def row(start: int, sentence: str, sub: str = SHELLING, target: str = "", **fields) -> dict:
    return {
        **mention(sub=sub, target=target),
        "event_key": f"1|2022-04-08|{sub}|{target}",
        "article_id": "a1",
        "place_id": 1,
        "start": start,
        "sentence": sentence,
        "joined": "",
        **fields,
    }


def test_the_headline_and_lead_of_one_article_are_one_happening():
    headline = row(0, "Russian forces attack the town", sub="Armed clash")
    lead = row(31, "Missiles hit the railway station of the town.", target="railway station")
    far = row(900, "Russian forces also attacked the town's outskirts.", sub="Armed clash")
    one_key_per_happening([headline, lead, far])
    assert [lead["event_key"]] * 2 == [headline["event_key"], lead["event_key"]]
    assert ("article", "") == (headline["joined"], lead["joined"])
    assert "1|2022-04-08|Armed clash|" == far["event_key"]  # further down: maybe another


@pytest.mark.parametrize(
    "other",
    [
        row(40, "Another strike hit the town later that day.", sub="Armed clash"),
        row(40, "Shelling killed four people in the town.", killed_low=4, killed_high=4),
        row(40, "Shells also hit a school in the town.", target="school"),
        row(40, "Shells hit the armored plant of the town."),
        # a bare offensive beside a strike that names nothing hit: maybe two
        row(40, "A missile struck a building in the town.", sub="Air/drone strike"),
        # a fight the sentence tells beside the strike: a clash and a strike
        row(40, "There was an armed clash between the two armies in the town.", sub="Armed clash"),
    ],
)
def test_an_article_that_tells_two_happenings_keeps_them_apart(other):
    lead = row(0, "Missiles hit the railway station of the town.", target="railway station")
    if other["sub_event_type"] == "Air/drone strike":
        lead = row(0, "Russian forces intensified their offensive on the town.", sub="Armed clash")
    other = dict(other)
    before = other["event_key"]
    assert before == one_key_per_happening([lead, other])[1]["event_key"]


def test_two_articles_on_two_things_hit_the_same_day_are_two_events(store):
    _index(
        store,
        [
            ("p1", "2022-04-08", "Russian artillery shelled the seaport of Kramatorsk on Friday."),
            ("p2", "2022-04-08", "Rockets hit the armored plant in Kramatorsk on Friday."),
            (
                "p3",
                "2022-04-08",
                "The seaport of Kramatorsk was shelled on Friday, officials said.",
            ),
        ],
    )
    sources = sorted(e["n_sources"] for e in _kramatorsk(store))
    assert [1, 2] == sources


def test_the_fighting_for_a_place_and_its_capture_the_same_day_are_one_happening():
    seized = told(
        {
            **event(sub="Non-state actor overtakes territory", target="power plant"),
            "key": "1|2022-04-08|Non-state actor overtakes territory|power plant",
        },
        "Russian forces seized the nuclear power plant.",
    )
    firefight = said(
        mention(sub="Armed clash", target="power plant"), "A firefight broke out at the plant."
    )
    assert "target.same_day" == resolve(firefight, [seized]).why
    assert resolve({**firefight, "target": ""}, [seized]) is None


def test_a_report_that_gives_the_day_joins_the_event_dated_by_the_next_days_paper():
    # "Five people were killed in an airstrike on the town" in Wednesday's paper (no day), then
    # "the airstrike on the town on Tuesday killed five"
    undated = told(
        {**event("2022-04-09", target="", killed=5), "key": "1|2022-04-09|strike|"},
        "Five people were killed in an airstrike on the town.",
    )
    dated = said(
        mention("2022-04-08", killed=5), "The airstrike on the town on Tuesday killed five."
    )
    assert "dated" == resolve(dated, [undated]).why
    assert resolve({**dated, "killed_low": 2, "killed_high": 2}, [undated]) is None
    assert resolve(dated, [{**undated, "date_precision": "day"}]) is None
    school = said(
        mention("2022-04-08", target="school", killed=5), "The school was hit on Tuesday."
    )
    assert resolve(school, [{**undated, "target": "hospital"}]) is None


def test_a_report_of_a_target_in_the_oblast_joins_the_towns_event_with_that_target(store):
    _index(
        store,
        [
            (
                "o1",
                "2022-04-08",
                "A Russian missile hit the railway station in Kramatorsk on Friday.",
            ),
            (
                "o2",
                "2022-04-08",
                "Ukraine says the bombing of the train station in the eastern Donetsk region"
                " killed at least 52 people.",
            ),
        ],
    )
    shown = store.db.execute("select count(*), sum(n_sources) from events").fetchone()
    assert (1, 2) == tuple(shown)


def test_a_dated_report_with_both_figures_of_the_day_s_targeted_strike_is_that_strike():
    # "one person was killed and seven were injured in the rocket attack on Kremenchuk on
    # Sunday" beside the strike on its power plant that killed one and injured seven
    lead = mention(killed=1)
    lead["injured_low"] = lead["injured_high"] = 7
    own = event(target="", killed=1)
    own.update(key=lead["event_key"], date_precision="day")
    plant = event(target="power plant", killed=1)
    plant.update(injured_low=7, injured_high=7)
    joined = resolve(lead, [own, plant])
    assert joined is not None and (plant["key"], "no_target.same_day") == (joined.key, joined.why)
    # one figure alone is no such fingerprint
    plant.update(injured_low=None, injured_high=None)
    assert resolve(lead, [own, plant]) is None


# --- a report that names what was hit, beside the day's report that named nothing -----------

UNTARGETED = told(
    {**event(target="", sources=3), "key": STRIKE_KEY},
    "Explosions reported in Lviv",
    "Three powerful explosions rocked the outskirts of the city.",
    "Russian troops again launched a rocket attack on the city.",
)


def test_a_report_naming_the_target_joins_the_day_s_event_many_told_without_one():
    # "The Russian forces launched rocket attacks on an oil depot in Lviv on Saturday"
    depot = said(mention(target="fuel depot"), "Rocket attacks hit an oil depot in Lviv.")
    joined = resolve(depot, [UNTARGETED])
    assert joined is not None and (STRIKE_KEY, "target.untargeted") == (joined.key, joined.why)


def test_a_vague_target_joins_the_day_s_event_that_named_none_even_when_one_told_it():
    alone = {**UNTARGETED, "n_sources": 1}
    homes = said(
        mention(target="residential building"), "Russians continue shelling homes in the city."
    )
    joined = resolve(homes, [alone])
    assert joined is not None and "target.untargeted" == joined.why


def test_a_report_naming_the_target_stays_apart_from_an_event_it_shares_nothing_with():
    # both giving their day, as coders' notes do: two events
    alone = {**UNTARGETED, "n_sources": 1, "date_precision": "day"}
    depot = said(mention(target="fuel depot"), "A missile hit the fuel depot.")
    assert resolve(depot, [alone]) is None
    # one of them dated only by its paper: the depot is what the explosions there hit
    joined = resolve(depot, [{**alone, "date_precision": "approximate"}])
    assert joined is not None and joined.why == "target.untargeted"
    # figures of its own make it another happening, however many told the event
    counted = said(mention(target="fuel depot", killed=3), "A missile hit the fuel depot.")
    assert resolve(counted, [UNTARGETED]) is None
    # and another kind family is no report of it ("opened fire on a car" beside shelling)
    car = said(mention(sub="Attack", target="fuel depot"), "Troops fired at the fuel depot.")
    assert resolve(car, [UNTARGETED]) is None


def test_a_dated_report_with_no_target_joins_the_targeted_event_its_words_retell():
    plant = told(
        event(target="factory"),
        "Today the Russian military launched a missile attack on Lviv Aircraft Repair Plant.",
    )
    again = said(mention(), "Lviv Aircraft Repair Plant destroyed with missile strikes - mayor")
    joined = resolve(again, [plant])
    assert joined is not None and (plant["key"], "no_target.same_day") == (joined.key, joined.why)
    assert resolve(said(mention(), "Missiles hit the city."), [plant]) is None


def test_a_shoot_down_never_takes_in_the_bombing_of_the_city_nor_joins_it():
    downed = told(
        {**event(target=""), "key": "1|2022-04-08|aircraft down|"},
        "Ukrainian defenders shot down a Russian warplane over the city.",
    )
    bombing = said(mention(sub="Air/drone strike"), "Russian aviation dropped bombs on the city.")
    assert resolve(bombing, [downed]) is None
    shot = said(mention(), "Ukrainian defenders shot down a Russian warplane over the city.")
    assert resolve(shot, [told(event(sources=5), "Bombs hit the railway station.")]) is None


def test_reports_of_opposite_sides_striking_the_same_day_are_two_happenings():
    shelled = told(
        {**PORT, "actor1": "Russian forces"},
        "Occupiers fired at an icebreaker with a civilian crew in the port.",
    )
    destroyed = said(
        mention(key=STRIKE_KEY),
        "Azov fighters destroyed an enemy infantry fighting vehicle in the city.",
        actor1="Ukrainian forces",
    )
    assert "apart" == resolve(destroyed, [shelled]).why
    # the same side, or a side the report does not name, is no evidence either way
    assert resolve({**destroyed, "actor1": "Russian forces"}, [shelled]) is None
    assert resolve({**destroyed, "actor1": ""}, [shelled]) is None


def test_sides_blaming_each_other_for_one_thing_hit_or_fighting_tell_one_happening():
    station = told({**STATION, "actor1": "Russian forces"}, "A missile hit the railway station.")
    blamed = said(
        mention(target="railway station", key=STATION["key"]),
        "The missile that struck the railway station was launched by Ukrainian forces.",
        actor1="Ukrainian forces",
    )
    assert resolve(blamed, [station]) is None
    fight = told(
        {
            **event(sub="Armed clash", target=""),
            "key": "1|2022-04-08|Armed clash|",
            "actor1": "Russian forces",
        },
        "Russian troops attacked positions near the city.",
    )
    repelled = said(
        mention(sub="Armed clash", key=fight["key"]),
        "Ukrainian forces repelled an attack near the city.",
        actor1="Ukrainian forces",
    )
    assert resolve(repelled, [fight]) is None


def test_later_reports_of_killings_found_there_retell_the_atrocity_many_reported():
    killings = told(
        {**event("2022-04-02", sub="Attack", target="", sources=5), "key": "1|2022-04-02|Attack|"},
        "Russian soldiers shot residents of the town; their bodies were found after liberation.",
    )
    later = said(
        mention("2022-04-05", "approximate", sub="Attack"),
        "Town killings: 'The world cannot be tricked anymore'",
    )
    joined = resolve(later, [killings])
    assert joined is not None and ("1|2022-04-02|Attack|", "atrocity") == (joined.key, joined.why)
    # not a report with a figure of its own, nor of another kind, nor after a small event
    assert resolve({**later, "killed_low": 6, "killed_high": 6}, [killings]) is None
    assert resolve({**later, "sub_event_type": SHELLING}, [killings]) is None
    assert resolve(later, [{**killings, "n_sources": 1}]) is None
    # the massacre's count is no figure of its own ("Over 300 residents murdered")
    count = {**later, "killed_low": 300, "killed_high": None}
    assert resolve(count, [killings]).why == "atrocity"
    # and a retelling goes to the massacre, not to the day's event an earlier retelling began
    # ("Russian soldiers are murderers and executioners", then "a city filled with corpses
    # of executed people")
    day = told(
        {**event("2022-04-05", sub="Attack", target=""), "key": later["event_key"]},
        "Russian soldiers are murderers, looters and executioners.",
    )
    corpses = said(
        {**later, "event_key": day["key"]}, "The mayor described a city filled with corpses."
    )
    joined = resolve(corpses, [day, killings])
    assert joined is not None and (killings["key"], "atrocity") == (joined.key, joined.why)


def test_at_an_oblast_a_report_naming_the_target_joins_only_an_event_its_words_retell():
    train = told(
        {**UNTARGETED, "n_sources": 1},
        "Russian invaders have shelled a suburban train running in the region.",
    )
    homes = said(
        mention(target="residential building"),
        "Russians shell residential areas in the region using Grad systems.",
        place_precision="oblast",
    )
    assert resolve(homes, [train]) is None
    assert "target.untargeted" == resolve({**homes, "place_precision": "exact"}, [train]).why


def test_fire_on_a_named_target_and_its_shelling_the_same_day_are_one_happening():
    shelled = told(
        {**event(target="hospital"), "key": "1|2022-04-08|strike|hospital"},
        "A hospital was shelled in the town.",
    )
    fired = said(
        mention(sub="Attack", target="hospital", key="1|2022-04-08|Attack|hospital"),
        "Russian troops fired on the children's hospital in the town.",
    )
    joined = resolve(fired, [shelled])
    assert joined is not None and "target.same_day" == joined.why


def test_again_retells_the_day_s_strike_but_a_tenth_attack_is_a_further_one():
    cluster = told(PORT, "Russian troops dropped cluster munitions on the seaport of the city.")
    again = said(mention(key=STRIKE_KEY), "Russian troops drop cluster bombs on the city, again.")
    assert resolve(again, [cluster]) is None
    tenth = said(mention(key=STRIKE_KEY), "Ukraine Army launches tenth attack on the city.")
    assert "apart" == resolve(tenth, [cluster]).why


def test_a_later_report_of_the_target_follows_up_only_big_news_or_words_that_look_back():
    hospital = told(
        {**event("2022-04-19", sub="Air/drone strike", target="hospital", sources=1)},
        "Russian aircraft dropped a powerful bomb on a hospital near the steel plant.",
    )
    fresh = said(
        mention("2022-04-28", "approximate", sub="Air/drone strike", target="hospital"),
        "Russians bomb operating room in field hospital at the plant: casualties reported.",
    )
    assert resolve(fresh, [hospital]) is None
    survivors = said(fresh, "Survivors emerge from the bombed hospital near the plant.")
    assert "target.later" == resolve(survivors, [hospital]).why
    assert "target.later" == resolve(fresh, [{**hospital, "n_sources": 5}]).why


def test_at_an_oblast_the_next_day_s_tally_with_the_same_number_is_its_own():
    tally = told(
        {
            **UNTARGETED,
            "date": "2022-04-20",
            "key": "1|2022-04-20|strike|",
            "injured_low": 5,
            "injured_high": 5,
        },
        "On April 20, five civilians were injured in the region, the governor said.",
    )
    next_day = said(
        {**mention("2022-04-21", "approximate"), "injured_low": 5, "injured_high": 5},
        "Five civilians were wounded in Russian shelling.",
        place_precision="oblast",
    )
    assert resolve(next_day, [tally]) is None
    assert "follow_up" == resolve({**next_day, "place_precision": "exact"}, [tally]).why


CLASH_KEY = "1|2022-04-08|Armed clash|"


@pytest.mark.parametrize(
    ("sentence", "precision", "place", "joins"),
    [
        # "Russian attack causes panic in the city as people flee" beside "blasts hit" that day
        ("Russian attack causes panic in the city as people flee.", "approximate", "exact", True),
        # a fight told as one is a happening of its own, and so is a ground assault or a
        # troop movement
        ("Heavy fighting in the city as Russian troops attack.", "approximate", "exact", False),
        ("The occupants continue to attack the plant.", "approximate", "exact", False),
        ("The enemy is advancing on the city.", "approximate", "exact", False),
        # both give their day: a coder's note, each a distinct event
        ("On 8 April, Russian forces attacked the city.", "day", "exact", False),
        # at an oblast a key says too little
        ("Russian attack on the region.", "approximate", "oblast", False),
    ],
)
def test_a_bare_attack_with_no_day_is_the_strike_told_beside_it_that_day(
    sentence, precision, place, joins
):
    blasts = told({**event(target=""), "key": STRIKE_KEY}, "Blasts hit the city overnight.")
    blasts["date_precision"] = "day"
    attack = said(
        mention(precision=precision, sub="Armed clash", key=CLASH_KEY),
        sentence,
        place_precision=place,
    )
    joined = resolve(attack, [blasts])
    assert joins == (
        joined is not None and (STRIKE_KEY, "no_target.same_day") == (joined.key, joined.why)
    )


def test_a_bare_attack_is_no_fire_at_civilians_told_that_day():
    shot = told(
        {**event(sub="Attack", target=""), "key": "1|2022-04-08|Attack|"},
        "Soldiers shot at civilians in a car.",
    )
    attack = said(
        mention(precision="approximate", sub="Armed clash", key=CLASH_KEY),
        "Russia renews attacks on the city.",
    )
    assert resolve(attack, [shot]) is None


@pytest.mark.parametrize(
    ("target", "killed", "place", "joins"),
    [
        # "Russians shelled the town all night, damaging at least 27 houses", then "four people
        # killed, 10 wounded in shelling over the past day" in the day's paper: its toll
        ("residential building", None, "exact", True),
        ("", None, "exact", True),
        # a named target is a happening of its own; figures of its own are another toll
        ("hospital", None, "exact", False),
        ("residential building", 2, "exact", False),
        # an oblast has many strikes a day
        ("residential building", None, "oblast", False),
    ],
)
def test_a_toll_with_no_day_and_no_target_is_that_of_the_days_strike_that_gave_none(
    target, killed, place, joins
):
    houses = told(
        {**event(target=target, killed=killed), "key": f"1|2022-04-08|strike|{target}"},
        "Russians shelled the town all night, damaging at least 27 houses.",
    )
    toll = said(
        {**mention(precision="approximate", killed=4), "injured_low": 10, "injured_high": 10},
        "Four people were killed and 10 wounded in shelling of the town over the past day.",
        place_precision=place,
    )
    joined = resolve(toll, [houses])
    assert joins == (joined is not None and joined.key == houses["key"])


def kind_event(sub: str, target: str, sentence: str) -> dict:
    """An event of 8 April of a kind of its own (its key's family is the sub-type)."""
    return told({**event(sub=sub, target=target), "key": f"1|2022-04-08|{sub}|{target}"}, sentence)


def test_a_report_of_a_named_target_dated_by_the_next_days_paper_follows_it_up():
    # "Russian forces abduct staff, patients of the maternity hospital", and the next day's
    # "staff and maternity patients were forcibly taken out to Russia"
    abduction = "Abduction/forced disappearance"
    taken = kind_event(
        abduction,
        "hospital",
        "Russian forces abduct staff, patients of the city maternity hospital.",
    )
    next_day = said(
        mention("2022-04-09", "approximate", sub=abduction, target="hospital"),
        "Staff and patients of the maternity hospital were forcibly taken out to Russia.",
    )
    joined = resolve(next_day, [taken])
    assert joined is not None and (taken["key"], "target.later") == (joined.key, joined.why)
    two_days = said({**next_day, "date": "2022-04-10"}, next_day["sentence"])
    assert resolve(two_days, [taken]) is None


def test_another_few_strikes_count_the_strikes_of_one_attack_not_another_happening():
    more = said(
        mention(key=STRIKE_KEY),
        "Another four missiles hit the town after five strikes reported earlier.",
    )
    assert resolve(more, [PORT]) is None


def test_a_report_that_the_town_was_shelled_again_with_other_figures_is_another_happening():
    strike = told(
        {**event(target="", killed=1), "key": STRIKE_KEY, "injured_low": 18, "injured_high": 18},
        "One person was killed and at least 18 injured in the missile attack on the town.",
    )
    evening = {
        **said(mention(key=STRIKE_KEY, killed=1), "In the evening, troops again shelled the town."),
        "injured_low": 2,
        "injured_high": 2,
    }
    joined = resolve(evening, [strike])
    assert joined is not None and joined.why == "apart"
    # the same figures: the day's strike told again
    same = {**evening, "injured_low": 18, "injured_high": 18}
    assert resolve(same, [strike]) is None


def test_one_articles_night_read_as_two_days_is_one_happening():
    # "Over 30 enemy helicopters destroyed in the region overnight" and "troops destroyed more
    # than three dozen enemy helicopters in the region last night"
    headline = row(0, "Over 30 enemy helicopters destroyed in the region overnight")
    lead = row(
        60,
        "Troops destroyed more than three dozen enemy helicopters in the region last night.",
        date="2022-04-07",
        event_key="1|2022-04-07|Shelling/artillery/missile attack|",
    )
    one_key_per_happening([headline, lead])
    assert headline["event_key"] == lead["event_key"]
    # a day apart with no night told: two days' news
    day = row(60, "Troops destroyed enemy helicopters in the region.", date="2022-04-07")
    day["event_key"] = "1|2022-04-07|Shelling/artillery/missile attack|"
    other = row(0, "Over 30 enemy helicopters destroyed in the region overnight")
    one_key_per_happening([other, day])
    assert other["event_key"] != day["event_key"]


def test_a_target_named_the_day_of_an_untargeted_report_both_dated_by_their_papers_is_it():
    # "Russian troops launched missile strikes on the town", then "the town's railway station
    # destroyed in Russian missile strikes, one reported dead", both in the day's papers
    strikes = told(
        {**event(target=""), "key": STRIKE_KEY},
        "Russian troops launched missile strikes on the town.",
    )
    station = said(
        mention(precision="approximate", target="railway station", killed=1),
        "The town's railway station destroyed in Russian missile strikes, one reported dead.",
    )
    joined = resolve(station, [strikes])
    assert joined is not None and (STRIKE_KEY, "target.untargeted") == (joined.key, joined.why)
    # figures that differ are another happening
    with_toll = told({**strikes, "killed_low": 5, "killed_high": 5}, strikes["sentences"])
    assert resolve(station, [with_toll]) is None


def test_in_a_big_city_a_target_hit_by_another_weapon_is_not_the_day_s_untargeted_report():
    # "Civilians killed in Russian artillery attack on the city" and "Russian airstrike on a
    # dormitory in the city killed three children and their parents", both in the day's papers
    shelling = told(
        {**event(target=""), "key": STRIKE_KEY, "date_precision": "approximate"},
        "Civilians have been killed during Russia's artillery attack on the city.",
    )
    dormitory = said(
        mention(
            precision="approximate", sub="Air/drone strike", target="residential building", killed=5
        ),
        "Russian airstrike on a dormitory in the city killed three children and their parents.",
    )
    city = 285_000
    assert resolve({**dormitory, "place_population": city}, [shelling]) is None
    # a town of 40,000 has one strike that day
    joined = resolve({**dormitory, "place_population": 40_000}, [shelling])
    assert joined is not None and joined.why == "target.untargeted"
    # and in the city, the same weapon: the strike the first report told ("launched a missile
    # strike on the city" and "destroyed an oil terminal in the city in a missile attack")
    depot = said(
        mention(precision="approximate", target="fuel depot"),
        "Russian aggressors destroyed an oil terminal in the city in a missile attack.",
    )
    joined = resolve({**depot, "place_population": city}, [shelling])
    assert joined is not None and joined.why == "target.untargeted"
    # but not in a city of millions, where the day has many strikes of one weapon
    assert resolve({**depot, "place_population": 1_400_000}, [shelling]) is None


def test_a_place_liberated_is_still_that_news_in_the_next_days_paper():
    regains = "Government regains territory"
    freed = kind_event(regains, "", "The entire region has been liberated from Russian occupiers.")
    next_day = said(
        mention("2022-04-09", "approximate", sub=regains), "Official says the region liberated."
    )
    joined = resolve(next_day, [freed])
    assert joined is not None and (freed["key"], "follow_up") == (joined.key, joined.why)
    # a strike the next day is news of its own
    shelled = said(mention("2022-04-09", "approximate"), "Official says the region was shelled.")
    assert resolve(shelled, [freed]) is None
    # three days on, the liberation is still that news; a week on, it may be another
    later = said(mention("2022-04-11", "approximate", sub=regains), "The region liberated.")
    joined = resolve(later, [freed])
    assert joined is not None and (freed["key"], "follow_up") == (joined.key, joined.why)
    week = said(mention("2022-04-15", "approximate", sub=regains), "The region liberated.")
    assert resolve(week, [freed]) is None


DEPOT = told(
    {
        **event(target="oil depot"),
        "key": "1|2022-04-08|strike|oil depot",
        "actor1": "Russian forces",
    },
    "Missiles hit an oil depot on the edge of the city.",
)


@pytest.mark.parametrize(
    ("changes", "others", "joins"),
    [
        # "Missiles hit an oil depot" and "the city shaken by Russian strikes overnight" in the
        # day's papers: the city's one strike of the day by that side
        ({}, [], True),
        # two strikes there that day: which one, the texts must say
        ({}, [told(event(target="hospital"), "A shell hit the hospital.")], False),
        # no side named, or the other side: nothing says it is that strike
        ({"actor1": ""}, [], False),
        ({"actor1": "Ukrainian forces"}, [], False),
        # figures of its own, a day of its own (a coder's note), an oblast, or a fight
        ({"killed_low": 3, "killed_high": 3}, [], False),
        ({"date_precision": "day"}, [], False),
        ({"place_precision": "oblast"}, [], False),
        ({"sub_event_type": "Armed clash", "event_key": CLASH_KEY}, [], False),
    ],
)
def test_a_report_with_no_target_is_the_day_s_only_strike_there_by_the_same_side(
    changes, others, joins
):
    shaken = said(
        mention(precision="approximate"),
        "Explosions shook residents awake overnight as Russian forces struck again.",
        actor1="Russian forces",
    )
    joined = resolve({**shaken, **changes}, [DEPOT, *others])
    assert joins == (joined is not None and joined.key == DEPOT["key"])
    if joins:
        assert "no_target.only_one" == joined.why


def test_a_shelling_with_no_target_is_not_the_day_s_only_air_strike_there():
    # "Four Russian warships shell the city" beside the day's bombs dropped on a school
    shelled = said(
        mention(precision="approximate"),
        "Four warships of the Russian Navy have shelled the city.",
        actor1="Russian forces",
    )
    assert resolve(shelled, [DEPOT]) is not None  # the depot's strike, told as a shelling
    bombed = {**DEPOT, "sub_event_type": "Air/drone strike"}
    joined = resolve(shelled, [bombed])
    assert joined is None or joined.key != bombed["key"]


@pytest.mark.parametrize(
    ("sentence", "day", "joins"),
    [
        # "the number of victims in the Podilskyi district grows to eight" the morning after
        # explosions there: that night's toll
        ("The number of victims in the Podilskyi district grew to eight.", "2022-04-09", True),
        # the same words with no district or thing hit in common, or days later: another toll
        ("The number of victims in the city grew to eight.", "2022-04-09", False),
        ("The number of victims in the Obolonskyi district grew to eight.", "2022-04-09", False),
        ("The number of victims in the Podilskyi district grew to eight.", "2022-04-11", False),
    ],
)
def test_a_rising_toll_that_names_the_district_follows_up_the_night_before_there(
    sentence, day, joins
):
    blasts = told(
        {**event(target=""), "key": STRIKE_KEY},
        "Several explosions were heard in the Podilskyi district of the city.",
    )
    toll = said(mention(day, "approximate", killed=8), sentence)
    joined = resolve(toll, [blasts])
    assert joins == (joined is not None and (STRIKE_KEY, "toll_update") == (joined.key, joined.why))


CRUISER = {
    **event("2022-04-14", target="", sources=3),
    "sentences": "The missile cruiser Moskva is burning in the Black Sea. The cruiser Moskva sank.",
}


def test_a_next_day_report_that_looks_back_at_big_news_and_names_it_is_its_follow_up():
    # "Two Ukrainian missiles hit the Moskva earlier this week, a U.S. official said Friday"
    new = mention("2022-04-15", "approximate")
    new["sentence"] = (
        "Two Ukrainian missiles hit the cruiser Moskva earlier this week, an official said"
    )
    joined = resolve(new, [CRUISER])
    assert joined is not None
    assert (CRUISER["key"], "follow_up") == (joined.key, joined.why)


@pytest.mark.parametrize(
    ("sentence", "near"),
    [
        # it does not look back
        ("Russian missiles hit the cruiser Moskva, an official said", CRUISER),
        # it names nothing the event's reports name
        ("Ukrainian missiles hit a landing ship at the port earlier this week", CRUISER),
        # the event was no big news
        (
            "Two Ukrainian missiles hit the cruiser Moskva earlier this week",
            {**CRUISER, "n_sources": 1},
        ),
    ],
)
def test_a_next_day_report_with_no_figures_is_another_unless_it_looks_back_and_names_it(
    sentence, near
):
    new = mention("2022-04-15", "approximate")
    new["sentence"] = sentence
    joined = resolve(new, [near])
    assert joined is None or joined.key != near["key"]


CHEMICAL = "Chemical weapon"


@pytest.mark.parametrize(
    ("new", "joins"),
    [
        # "Three persons have been affected by Russia's chemical attack on the city" the next day
        (mention("2022-04-12", "approximate", sub=CHEMICAL), True),
        (mention("2022-04-15", "approximate", sub=CHEMICAL), True),
        # a day of its own: another attack
        (mention("2022-04-12", sub=CHEMICAL), False),
        # a shelling the next day is news of its own
        (mention("2022-04-12", "approximate"), False),
    ],
)
def test_a_later_report_of_a_chemical_attack_with_no_day_is_the_attack_there(new, joins):
    attack = {**event("2022-04-11", sub=CHEMICAL, target=""), "key": f"1|2022-04-11|{CHEMICAL}|"}
    joined = resolve(new, [attack])
    assert joins == (joined is not None and joined.key == attack["key"])


def test_a_round_up_of_shelling_is_not_the_report_of_one_strike_in_the_town(store):
    _index(
        store,
        [
            (
                "r1",
                "2022-03-05",
                "A warplane bombed a barracks in Kharkiv on Saturday, killing four soldiers.",
            ),
            (
                "r2",
                "2022-03-06",
                "Overnight, the invaders continued to shell Kharkiv, Sumy and Okhtyrka.",
            ),
        ],
    )
    rows = store.db.query(
        "select e.killed_low, group_concat(m.article_id) as articles from events e"
        " join mentions m on m.event_key = e.key join places p on p.id = e.place_id"
        " where p.name = 'Kharkiv' group by e.id order by e.id"
    )
    assert [(4, "r1"), (None, "r2")] == [(r["killed_low"], r["articles"]) for r in rows]
