"""Sentences with offsets, and the parts of a page that are not the story."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

from pathlib import Path

import pytest

from store.extract.sentences import WEAK, clean_summary, split_sentences, weak_summary

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem[:3])
def test_offsets_point_into_the_text(path):
    text = path.read_text(encoding="utf-8")
    for s in split_sentences(text):
        assert s.text == text[s.start : s.end]


@pytest.mark.parametrize(
    "text",
    [
        "First.\r\nSecond line.\r\n",
        "  Leading spaces. Then more.\n\n\nAfter blank lines!",
        "- Bullet sentence. Two.",
        "Mr. Smith said so. Then he left.",
        'He said "Go." Then he left.',
    ],
)
def test_offsets_with_odd_whitespace(text):
    for s in split_sentences(text):
        assert s.text == text[s.start : s.end]


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        (["Mr. Smith said the city was shelled.", "Then it stopped."],
         "Mr. Smith said the city was shelled. Then it stopped."),
        (["Gen. Ivanov arrived.", "He left."], "Gen. Ivanov arrived. He left."),
        (["Dr. Jones treated the wounded.", "Fine."], "Dr. Jones treated the wounded. Fine."),
        (["The U.S. offered them a safe passage.", "He refused."],
         "The U.S. offered them a safe passage. He refused."),
        (["It was 08.00 local time.", "Then it hit."], "It was 08.00 local time. Then it hit."),
        (["Is it over?", "No!", "Fighting goes on."], "Is it over? No! Fighting goes on."),
    ],
)  # fmt: skip
def test_sentence_split(expected, text):
    assert expected == [s.text for s in split_sentences(text)]


def test_closing_quote_stays_with_its_sentence():
    assert ['He said "Go."', "Then he left."] == [
        s.text for s in split_sentences('He said "Go." Then he left.')
    ]


def test_paragraphs_are_lines():
    sentences = split_sentences("One. Two.\n\nThree.\nFour.")
    assert [1, 1, 2, 3] == [s.paragraph for s in sentences]


def test_first_short_line_is_the_headline():
    sentences = split_sentences(
        "Russian troops have occupied govt building in Kharkiv, says Kherson governor\n"
        "The regional governor said so. It was confirmed."
    )
    assert ["headline", "story", "story"] == [s.kind for s in sentences]


def test_first_line_that_is_a_sentence_is_story():
    sentences = split_sentences("A missile hit Kharkiv on Tuesday.\nMore later.")
    assert "story" == sentences[0].kind


def test_short_line_further_down_is_a_teaser():
    text = "Story sentence.\n\nRussia and Ukraine hold the second session of peace talks\n\nMore."
    assert ["story", "related", "story"] == [s.kind for s in split_sentences(text)]


def test_related_block_after_a_lone_dash_line():
    text = (
        "Story sentence. Another story sentence.\n"
        "-\n"
        "In Ukraine, Russian missiles kill wives, daughters, tear lives apart\n"
        "On Tuesday night a first missile struck near the family home.\n"
        "-\n"
        "Another teaser headline\n"
        "Another teaser body. With two sentences.\n"
    )
    kinds = [s.kind for s in split_sentences(text)]
    assert ["story", "story"] + ["related"] * 5 == kinds


@pytest.mark.parametrize("dash", ["-", "–", "—", " - "])
def test_lone_dash_variants_start_related(dash):
    text = f"Story.\n{dash}\nTeaser body sentence.\n"
    assert ["story", "related"] == [s.kind for s in split_sentences(text)]


def test_dash_led_sentence_is_not_a_related_marker():
    text = "Headline\n- The delegations are going to hold talks. The first round failed.\nMore."
    kinds = [(s.kind, s.text) for s in split_sentences(text)]
    assert ("story", "The delegations are going to hold talks.") == kinds[1]
    assert "related" not in [k for k, _ in kinds]


@pytest.mark.parametrize(
    "line",
    [
        "Also Read | Russia-Ukraine war: Which cities have Russian forces captured so far?",
        "Read more: Kyiv under fire",
        "Full coverage of Russia-Ukraine conflict here",
        "Follow all the Russia-Ukraine War News and Headlines on Russia-Ukraine War LIVE Updates",
        "See the video here",
        "Advertisement",
    ],
)
def test_boilerplate_lines(line):
    sentences = split_sentences(f"A story sentence.\n{line}\nAnother story sentence.")
    assert ["story", "boilerplate", "story"] == [s.kind for s in sentences]


def test_seed_001_related_block_is_related():
    text = (SEEDS / "001_4ae3011501ea92e7.txt").read_text(encoding="utf-8")
    first_dash = text.index("\n-\n")
    for s in split_sentences(text):
        assert ("related" == s.kind) == (s.start > first_dash)


def test_empty_text():
    assert [] == split_sentences("")
    assert [] == split_sentences("\n\n  \n")


@pytest.mark.parametrize(
    "sentence,summary",
    [
        (
            "Occupiers shelled Okhtyrka (31.03.22 10:45) « War in Ukraine | Censor.NET",
            "Occupiers shelled Okhtyrka",
        ),
        ("30.04.22 11:44 - Occupiers shelled Okhtyrka.", "Occupiers shelled Okhtyrka."),
        ("Latest Ukraine updates: Explosions heard in Kyiv", "Explosions heard in Kyiv"),
        (
            "Invaders shelled Zolote, Luhansk Region. — Ukrinform.",
            "Invaders shelled Zolote, Luhansk Region.",
        ),
        ("Kharkiv was shelled on Monday.", "Kharkiv was shelled on Monday."),
        ("Troops shelled Avdiivka again View news.", "Troops shelled Avdiivka again"),
    ],
)
def test_a_summary_is_the_sentence_without_stamps_site_names_and_sign_offs(sentence, summary):
    assert summary == clean_summary(sentence)


@pytest.mark.parametrize(
    "sentence,summary",
    [
        (
            "shelling of a post office in Kharkiv: As a result of shelling of a post office in "
            "Kharkiv, six people were killed",
            "As a result of shelling of a post office in Kharkiv, six people were killed",
        ),
        (
            "Shelling of Okhtyrka: Russian troops shelled Okhtyrka with rockets overnight.",
            "Russian troops shelled Okhtyrka with rockets overnight.",
        ),
        (
            "Удар по Охтирці: Russian troops shelled Okhtyrka with rockets overnight.",
            "Russian troops shelled Okhtyrka with rockets overnight.",
        ),
    ],
)
def test_a_summary_drops_a_topic_line_that_the_sentence_restates(sentence, summary):
    assert summary == clean_summary(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Zelensky: More than 7,000 people were evacuated from Mariupol on Tuesday.",
        "Near Chernihiv: the occupiers fired on a column of buses with volunteers.",
        "Kharkiv: shelling",
    ],
)
def test_a_speaker_or_a_place_before_a_colon_stays(sentence):
    assert sentence == clean_summary(sentence)


@pytest.mark.parametrize("why,sentence", [(w.why, s) for w in WEAK for s in w.examples])
def test_a_weak_summary_rule_matches_its_own_example_sentences(why, sentence):
    (rule,) = [w for w in WEAK if w.why == why]
    assert rule.pattern.search(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Russian shelling killed three civilians in Kharkiv on Monday, the governor said.",
        "A missile hit the railway station in Kramatorsk, killing 50 people.",
    ],
)
def test_a_plain_report_is_no_weak_summary(sentence):
    assert not weak_summary(sentence)


def test_a_lead_that_restates_its_headline_under_a_stamp_is_not_read_twice():
    text = (
        "Shelling of Kharkiv: Governor on Kharkiv (10.04.22 20:58) « War in Ukraine | Censor.NET\n"
        "10.04.22 20:58 - Shelling of Kharkiv: Governor on Kharkiv. Russian shells hit the"
        " centre of Kharkiv on April 9, killing two people. View news.\n"
    )
    kinds = [s.kind for s in split_sentences(text)][:3]
    assert ["headline", "repeat", "story"] == kinds


def test_a_news_digest_date_line_is_no_part_of_the_summary():
    sentence = "Ukraine news from March 20: Moscow bombs an art school used as a shelter."
    assert "Moscow bombs an art school used as a shelter." == clean_summary(sentence)


def test_a_long_headline_with_its_stamp_and_site_name_is_still_a_headline_and_its_copy_a_repeat():
    text = (
        'Fired at icebreaker: Occupiers fired at "Captain Belousov" icebreaker with civilian crew'
        " in Mariupol, there are dead and wounded, - Azov regiment (08.04.22 13:49)"
        " « War in Ukraine | Censor.NET\n"
        "08.04.22 13:49 - Fired at icebreaker: Occupiers fired at Captain Belousov icebreaker"
        " with civilian crew in Mariupol, there are dead and wounded, - Azov regiment. Last"
        " night, Russian forces fired at the icebreaker in the port. View news.\n"
    )
    kinds = [s.kind for s in split_sentences(text)][:3]
    assert ["headline", "repeat", "story"] == kinds
