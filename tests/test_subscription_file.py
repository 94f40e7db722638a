"""The subscriptions file: what `dump` writes `load` reads back unchanged; a file that is not
ours is refused whole with a reason; a damaged entry is refused alone."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.catalogue import STRINGS
from bot.subscription_file import (
    FORMAT,
    MAX_BYTES,
    MAX_ENTRIES,
    VERSION,
    Entry,
    Settings,
    SubscriptionFile,
    SubscriptionFileError,
    dump,
    load,
)

KHARKIV = Entry("Kharkiv", "place", 706483, "Shelling/artillery/missile attack", ("hospital",))
FILE = SubscriptionFile(
    (KHARKIV, Entry("all", "all", None, "", (), ("sanctions",)), Entry("Kyiv Oblast", "oblast")),
    Settings(True, "08:00", "Europe/London", False),
    -100123,
)


def body(**changes: object) -> bytes:
    data = json.loads(dump(FILE))
    data.update(changes)
    return json.dumps(data).encode()


def test_a_file_reads_back_as_it_was_written():
    assert FILE == load(dump(FILE))


def test_the_file_names_its_format_and_version():
    data = json.loads(dump(FILE))
    assert (FORMAT, VERSION) == (data["format"], data["version"])
    assert "Kharkiv" == data["subscriptions"][0]["place"]
    assert "08:00" == data["settings"]["digest_time"]


_words = st.lists(st.from_regex(r"[a-z][a-z0-9]{0,12}", fullmatch=True), max_size=3)
_entries = st.builds(
    Entry,
    place=st.text(min_size=1, max_size=40).map(str.strip).filter(bool),
    scope=st.sampled_from(["all", "place", "oblast"]),
    place_id=st.one_of(st.none(), st.integers(1, 10**9)),
    kind=st.sampled_from(["", "Armed clash", "Air/drone strike"]),
    include=_words.map(tuple),
    exclude=_words.map(tuple),
    topic=st.integers(0, 10**6),
)
_settings = st.builds(
    Settings,
    quiet=st.booleans(),
    digest_time=st.one_of(st.none(), st.sampled_from(["00:00", "08:30", "23:59"])),
    timezone=st.sampled_from(["Europe/Kyiv", "UTC", "America/New_York"]),
    instant=st.booleans(),
)


@given(st.lists(_entries, max_size=8), _settings, st.integers(-(10**13), 10**13))
def test_any_chat_round_trips(entries, settings, chat_id):
    file = SubscriptionFile(tuple(entries), settings, chat_id)
    assert file == load(dump(file))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe not text", "subfile.notjson"),
        (b"place,kind\nKharkiv,shelling\n", "subfile.notjson"),
        (b"[1, 2]", "subfile.notours"),
        (json.dumps({"format": "something else", "version": 1}).encode(), "subfile.notours"),
        (body(version="1"), "subfile.notours"),
        (body(version=0), "subfile.notours"),
        (body(subscriptions={"place": "Kharkiv"}), "subfile.notours"),
        (body(version=VERSION + 1), "subfile.newer"),
        (body(subscriptions=[{"place": "Kharkiv"}] * (MAX_ENTRIES + 1)), "subfile.toomany"),
        (b" " * (MAX_BYTES + 1), "subfile.toobig"),
    ],
)
def test_a_file_that_is_not_ours_is_refused_whole_with_a_reason(data, reason):
    with pytest.raises(SubscriptionFileError) as refused:
        load(data)
    assert reason == refused.value.reason
    assert reason in STRINGS


@pytest.mark.parametrize(
    "entry",
    [
        "Kharkiv",
        {"scope": "place"},
        {"place": ""},
        {"place": "Kharkiv", "scope": "everywhere"},
        {"place": "Kharkiv", "place_id": "706483"},
        {"place": "Kharkiv", "include": "hospital"},
        {"place": "Kharkiv", "include": ["two words"]},
        {"place": "Kharkiv", "topic": True},
    ],
)
def test_a_damaged_entry_is_refused_alone_and_the_rest_is_read(entry):
    file = load(body(subscriptions=[entry, {"place": "Kyiv"}]))
    assert (Entry("Kyiv"),) == file.entries
    assert ["subfile.entry"] == [r.reason for r in file.refused]


@pytest.mark.parametrize(
    "settings",
    [
        "quiet",
        {"digest_time": "25:00"},
        {"digest_time": "8am"},
        {"timezone": "Mars/Olympus"},
        {"quiet": "yes"},
    ],
)
def test_damaged_settings_are_refused_and_the_subscriptions_still_read(settings):
    file = load(body(settings=settings))
    assert file.settings is None
    assert FILE.entries == file.entries
    assert ["subfile.settings"] == [r.reason for r in file.refused]


def test_a_file_without_settings_or_chat_reads_with_a_new_chats_settings():
    data = json.dumps({"format": FORMAT, "version": 1, "subscriptions": [{"place": "Kyiv"}]})
    assert SubscriptionFile((Entry("Kyiv"),), Settings(), 0) == load(data.encode())


def test_a_byte_order_mark_from_a_windows_editor_is_fine():
    assert FILE == load(b"\xef\xbb\xbf" + dump(FILE))


def test_a_threshold_round_trips_and_a_bad_one_is_refused():
    entry = Entry("Kharkiv", "place", 706483, min_count=5, min_of="killed")
    assert (entry,) == load(dump(SubscriptionFile((entry,)))).entries
    bad = json.loads(dump(SubscriptionFile((entry,))))
    bad["subscriptions"][0]["min_of"] = "tanks"
    file = load(json.dumps(bad).encode())
    assert () == file.entries and 1 == len(file.refused)
