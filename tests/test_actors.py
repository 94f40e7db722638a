"""Who acted and against whom, as the sentence says it."""

from __future__ import annotations

import pytest

from store.extract.actors import find_actors


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("Russian forces shelled Kharkiv.", ("Russian forces", "")),
        (
            "Russian troops attacked Ukrainian forces near Izium.",
            ("Russian forces", "Ukrainian forces"),
        ),
        (
            "Ukrainian forces repelled an attack by Russian troops.",
            ("Ukrainian forces", "Russian forces"),
        ),
        ("The occupiers opened fire on civilians.", ("Russian forces", "Civilians")),
        ("Ukrainian artillery destroyed a column.", ("Ukrainian forces", "")),
        ("The Azov regiment held the plant.", ("Ukrainian forces", "")),
        ("An explosion was heard in the city centre.", ("", "")),
        # the weapon or the attack said as a side's: "Russian bombs kill dozens in the region"
        ("Russian bombs killed people in the region.", ("Russian forces", "Civilians")),
        ("A Russian air strike hit a town near the capital.", ("Russian forces", "")),
        ("Russian rockets pound the city.", ("Russian forces", "")),
        # the army by the country's name, and its armed forces with "armed" between
        ("Ukraine's army stopped four columns.", ("Ukrainian forces", "")),
        ("The Ukrainian Armed Forces stopped an enemy column.", ("Ukrainian forces", "")),
    ],
)
def test_the_side_named_first_acted_and_the_other_was_acted_on(sentence, expected):
    assert expected == find_actors(sentence)


def test_civilians_are_the_second_actor_only_when_no_force_is():
    assert ("Russian forces", "Ukrainian forces") == find_actors(
        "Russian forces hit Ukrainian troops and residents."
    )
    assert ("Russian forces", "Civilians") == find_actors("Russian missiles hit homes in Sumy.")


def test_no_side_is_guessed_from_the_war_at_large():
    assert ("", "Civilians") != find_actors("Children were hurt in the blast.")
    assert ("", "") == find_actors("Children were hurt in the blast.")


def test_the_side_named_last_before_the_event_word_acted():
    sentence = (
        "Despite the invasion of the Russian aggressor, Azov fighters destroy enemy equipment."
    )
    assert ("Ukrainian forces", "Russian forces") == find_actors(
        sentence, sentence.index("destroy")
    )
    # with no side before it, the first side named acted
    told = "Destroyed by Ukrainian artillery: a column of Russian troops near the Sea of Azov."
    assert ("Ukrainian forces", "Russian forces") == find_actors(told, 0)
    # before a passive verb is who was hit
    passive = "Ukrainian forces stopped them, and Russian military equipment was destroyed."
    assert ("Ukrainian forces", "Russian forces") == find_actors(
        passive, passive.index("destroyed")
    )


def test_the_sea_of_azov_is_no_azov_fighter():
    assert ("", "") == find_actors("A ship was hit in the Sea of Azov.")


def test_a_side_named_as_a_verb_s_object_did_not_act():
    sentence = "The Ukrainian army counter-attacked Russian troops near Kyiv and hit five tanks."
    assert ("Ukrainian forces", "Russian forces") == find_actors(sentence, sentence.index("hit"))
