"""Who reports or claims what a sentence says."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import pytest

from store.extract.attribution import find_attribution, success_claimant


def source(sentence: str) -> str:
    found = find_attribution(sentence)
    return found.source if found else ""


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ("Reuters", "Three people were killed, according to Reuters."),
        ("Reuters", "According to Reuters, three people were killed."),
        ("Reuters", "Laguta shared the update in an online post, according to Reuters."),
        ("Ukrainian army", "According to the Ukrainian army, the Russian troops entered the city."),
        (
            "Ukrainian General Staff",
            "Shelling continued, according to the Ukrainian General Staff.",
        ),
        (
            "regional governor Oleg Synegubov",
            "At least 21 people have been killed and 112 wounded in shelling in Kharkiv in the"
            " last 24 hours, regional governor Oleg Synegubov said on Wednesday.",
        ),
        (
            "Ukrainian army",
            "More Russian air forces landed in the eastern Ukrainian city of Kharkiv on Wednesday,"
            " the Ukrainian army said.",
        ),
        (
            "local Ukrainian officials",
            "The smaller southern city of Kherson has also fallen to Russian forces, local"
            " Ukrainian officials say.",
        ),
        ("mayor", "The mayor said the city was shelled."),
        ("Kremlin", "The Kremlin claimed it had taken the city."),
    ],
)
def test_source(expected, sentence):
    assert expected == source(sentence)


def test_two_sources_are_joined():
    sentence = (
        "The Ukraine military says Russian paratroopers have landed in its besieged"
        " second-largest city Kharkiv, according to BBC news service."
    )
    assert "Ukraine military; BBC" == source(sentence)


def test_synegubov_is_not_a_claim():
    sentence = "21 people have been killed in Kharkiv, regional governor Oleg Synegubov said."
    assert find_attribution(sentence).is_claim is False


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia's Defense Ministry claimed Wednesday that Russian aviation disabled the main TV"
        " tower in Ukraine's capital in an airstrike, but said the attack did not hit any"
        " residential buildings.",
        "Russia's defence ministry said on Wednesday that it has captured the first sizable city"
        " of the east European nation - Kherson.",
        "Russian forces on Wednesday claimed, they had taken over Ukraine's Kherson.",
        "The Russian military said it destroyed 50 tanks.",
        "The Kremlin claimed it had taken the city.",
        # a government named by its capital or its country
        "Moscow says its missiles destroyed an arms depot near Lviv.",
        "Kyiv said its forces retook the village.",
    ],
)
def test_belligerent_announcements_are_claims(sentence):
    assert find_attribution(sentence).is_claim is True


def test_defense_ministry_claim_names_the_ministry():
    sentence = (
        "Russia's Defense Ministry claimed Wednesday that Russian aviation disabled the main TV"
        " tower in Ukraine's capital in an airstrike."
    )
    assert "Russia's Defense Ministry" == source(sentence)


def test_according_to_a_news_agency_is_not_a_claim():
    assert find_attribution("Three people were killed, according to Reuters.").is_claim is False


@pytest.mark.parametrize(
    "sentence",
    [
        "It was confirmed on Wednesday that, the Russian shelling of Ukrainian cities also"
        " destroyed the regional Police Department in Ukraine's Kharkiv.",
        "He said the attack was aimed at disabling Ukraine's ability.",
        "They said the city was shelled.",
        "A missile hit the city.",
        "Another two injured were reported Thursday morning, March 31.",
    ],
)
def test_pronouns_and_plain_sentences_give_no_source(sentence):
    assert find_attribution(sentence) is None


def test_it_is_never_a_source():
    sentence = "It was confirmed on Wednesday that Russian shelling destroyed the police building."
    found = find_attribution(sentence)
    assert found is None or not found.source.lower().startswith("it")


def test_span_points_at_the_source():
    sentence = "Three people were killed, according to Reuters."
    found = find_attribution(sentence)
    assert ["Reuters"] == [sentence[start:end] for start, end in found.spans]


@pytest.mark.parametrize(
    ("expected", "headline"),
    [
        (
            "General Staff",
            "Ukrainian defenders repulse six attacks in Luhansk, Donetsk regions – General Staff",
        ),
        ("RMA", "In Donetsk region, 9 civilians were wounded - RMA."),
        (
            "Klitschko",
            "Rescuers found a body in a house in Kyiv hit by a rocket yesterday, - Klitschko",
        ),
        ("mayor", "Bucha liberated from Russian occupiers, - mayor."),
        ("mayor Markushin", "Irpin liberated from Russian occupiers, - mayor Markushin"),
    ],
)
def test_a_headline_names_its_source_after_a_dash(expected, headline):
    assert expected == find_attribution(headline).source


def test_a_figure_of_speech_is_not_a_source():
    found = find_attribution("Recent missile strikes on Kyiv say a lot about Russia's attitude.")
    assert found is None


def test_a_wire_signing_its_own_item_is_not_a_source():
    assert None is find_attribution("Russian troops shelled the city of Zolote. — Ukrinform.")


def test_no_casualties_is_not_a_source():
    assert None is find_attribution("No casualties have been reported.")


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("Shelling went on in Kharkiv as Russia claimed to control the city.", "Russia"),
        ("During an air raid alert announced this morning, two missiles were shot down.", None),
        ("According to preliminary reports, two people were injured in the attack.", None),
    ],
)
def test_a_source_is_who_speaks_not_a_clause_or_a_phrase_of_time_before_it(sentence, source):
    found = find_attribution(sentence)
    assert source == (found.source if found else None)


def test_a_place_in_the_clause_before_the_speaker_is_not_inside_the_source():
    found = find_attribution("Shelling went on in Kharkiv as Russia claimed to control the city.")
    assert found is not None
    start, _ = found.spans[0]
    assert start > len("Shelling went on in Kharkiv")


@pytest.mark.parametrize(
    ("side", "sentence"),
    [
        ("Ukrainian forces", "In Luhansk region, Ukrainian defenders shot down an enemy plane."),
        ("Ukrainian forces", "Over two days the Azov Regiment destroyed three enemy tanks."),
        ("Ukrainian forces", "Ukrainian defenders repulsed ten attacks in the Donetsk region."),
        ("Russian forces", "Russian forces destroyed a Ukrainian S-300 air defence system."),
        ("Russian forces", "The Russian military took full control of Kherson."),
        ("Russian forces", "Russian troops repelled a Ukrainian attack near Izium."),
        ("Ukrainian forces", "Ukraine says Russian forces pushed back around Kyiv."),
        ("Ukrainian forces", "Officials say more territory around the capital has been retaken."),
        ("Ukrainian forces", "Ukrainian forces have launched a counteroffensive near Kharkiv."),
        ("Russian forces", "Russia says its forces clear most of Mariupol, strike Kyiv suburb"),
        ("Russian forces", "Russia claims its forces have taken control of half of the city."),
        (
            "Ukrainian forces",
            "Soldiers of the Defense Forces of the Kherson Region continue the defensive"
            " operation and systematically destroy enemy equipment.",
        ),
    ],
)
def test_a_side_telling_its_own_success_makes_a_claim(side, sentence):
    assert side == success_claimant(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Russian forces shelled Kharkiv, killing three civilians.",
        "Russian troops destroyed a residential building in Kharkiv.",
        "A missile hit the railway station in Kramatorsk.",
    ],
)
def test_fire_on_towns_and_civilians_is_no_success_claimed(sentence):
    assert success_claimant(sentence) is None
