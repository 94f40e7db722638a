"""/map and /chart: what the commands answer over a real database (the seeds), the captions,
the buttons under /city and /date, the console and `sitrep map`, and the photo sent through the
Bot API fake over real HTTP."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest
from matplotlib.image import imread

from bot.commands import Chat, Commands
from bot.console import ask
from bot.drawing import spec_of
from bot.figures import ChartSpec, MapSpec
from bot.map_render import render_map
from bot.pictures import map_caption
from bot.render import CAPTION_LIMIT, measure, to_plain
from store.indexer import index_articles
from store.ingest import iter_articles

try:
    from tests.botapi_fake import BotApiFake, parse_telegram_html, png_size
    from tests.running_bot import assert_clean_logs, seeded_bot
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, parse_telegram_html, png_size  # type: ignore[no-redef]
    from running_bot import assert_clean_logs, seeded_bot  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def commands(seeded_store) -> Commands:
    return Commands(seeded_store, today=lambda: date(2022, 3, 10))


def test_a_map_of_a_town_holds_its_events_and_zooms_to_it(commands):
    reply = commands.handle("/map Kharkiv")
    assert reply is not None and reply.picture is not None
    spec = spec_of(reply.picture.order)
    assert isinstance(spec, MapSpec)
    events, total = commands.store.picture_events(commands.gazetteer.lookup("Kharkiv"), None, None)
    assert total == len(spec.markers) == len(events) > 3
    west, south, east, north = spec.view
    assert west < 36.23 < east and south < 49.99 < north
    assert east - west < 5  # the town and its neighbours, not the whole country
    assert spec.names[0][2].startswith("Kharkiv")


def test_a_map_of_nothing_is_the_whole_country(commands):
    spec = spec_of(commands.handle("/map").picture.order)
    west, south, east, north = spec.view
    assert west < 22.2 and east > 40.1 and south < 44.4 and north > 52.3
    towns = {name.split(" · ")[0] for _, _, name in spec.names}
    assert {"Kharkiv", "Kyiv"} <= towns


def test_a_map_reads_place_date_and_kind_as_city_does(commands):
    """Every form /city takes: an oblast, a range, a kind word, in any order."""
    whole = spec_of(commands.handle("/map Kharkiv Oblast March 2022").picture.order)
    shelling = spec_of(commands.handle("/map shelling 1-3 March 2022 Kharkiv Oblast").picture.order)
    assert 0 < len(shelling.markers) < len(whole.markers)
    assert "1 Mar 2022 – 3 Mar 2022" in shelling.title and "shelling" in shelling.title


def test_a_map_of_an_empty_range_says_so_in_words(commands):
    reply = commands.handle("/map Kharkiv 2022-04-20")
    assert reply.picture is None
    assert "No events in Kharkiv on" in to_plain(reply.text)
    assert "Nearest days with events" in to_plain(reply.text)


def test_a_map_of_an_unknown_place_suggests_one(commands):
    reply = commands.handle("/map Kharkof")
    assert reply.picture is None and "did you mean" in to_plain(reply.text)


def test_the_maps_caption_lists_the_main_events_with_their_links(commands):
    reply = commands.handle("/map Kharkiv")
    lines = to_plain(reply.text).split("\n")
    assert lines[0].startswith("Kharkiv — ")
    assert all(line.split()[-1].startswith("/e") for line in lines[1:])
    shown = [int(line.split()[-1][2:]) for line in lines[1:]]
    first_page, _ = commands.store.find_events(commands.gazetteer.lookup("Kharkiv"), limit=8)
    assert shown == [e["id"] for e in first_page]  # as /city lists them: newest day first


def test_a_caption_fits_telegrams_1024_characters_however_long_the_events():
    event = {
        "id": 123456789,
        "date": "2022-03-01",
        "sub_event_type": "Shelling/artillery/missile attack",
        "summary": "x",
        "target": "hospital",
        "killed_low": 1000,
        "place_name": "Ш" * 300,
    }
    caption = map_caption("T" * 500, [dict(event, id=n) for n in range(40)], 40, "uk")
    assert measure(caption).units <= CAPTION_LIMIT
    assert caption.count("/e") >= 5


def test_a_chart_counts_each_day_and_its_killed_as_store_totals_does(commands):
    reply = commands.handle("/chart all 1-3 March 2022")
    spec = spec_of(reply.picture.order)
    assert isinstance(spec, ChartSpec)
    assert spec.days == (date(2022, 3, 1), date(2022, 3, 2), date(2022, 3, 3))
    totals = commands.store.totals(None, date(2022, 3, 1), date(2022, 3, 3))
    assert sum(sum(s.counts) for s in spec.series) == totals["events"]
    assert sum(spec.killed) == totals["killed"] > 0
    assert sum(spec.injured) == totals["injured"]
    assert f"at least {totals['killed']} killed, {totals['injured']} injured" in spec.title


def test_a_chart_of_a_place_without_events_in_the_range_says_so(commands):
    reply = commands.handle("/chart Mariupol April 2022")
    assert reply.picture is None and "No events in Mariupol" in to_plain(reply.text)


@pytest.mark.parametrize("command", ["/city Kharkiv", "/date 2022-03-02", "/date 2022-03-01 Kyiv"])
def test_city_and_date_answers_carry_map_and_chart_buttons_that_draw(commands, command):
    reply = commands.handle(command)
    row = reply.buttons[-1]
    assert [label for label, _ in row] == ["Map", "Chart"]
    for (_, data), kind in zip(row, (MapSpec, ChartSpec), strict=True):
        pressed = commands.callback(data)
        assert isinstance(spec_of(pressed.picture.order), kind)


def test_a_pictures_cache_key_changes_when_the_database_does(commands, seeds_dir, tmp_path):
    before = commands.handle("/map Kharkiv").picture.key
    assert commands.handle("/map Kharkiv").picture.key == before
    article = tmp_path / "new.txt"
    article.write_text(
        "date 2022-03-09\nRussian shelling hit a school in Kharkiv on Wednesday, officials said.\n"
    )
    index_articles(commands.store, iter_articles([article]))
    assert commands.handle("/map Kharkiv").picture.key != before


def test_the_console_writes_the_picture_and_gives_its_path(seeded_store, tmp_path):
    out = ask(seeded_store, "/map Kharkiv", tmp_path)
    path = Path(out.rsplit("written to ", 1)[1])
    assert path.parent == tmp_path and path.suffix == ".png"
    assert imread(io.BytesIO(path.read_bytes()), format="png").shape[:2] == (1000, 1200)


def test_sitrep_map_and_chart_write_a_png(seeded_db, tmp_path):
    db = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, db)
    for command in ("map", "chart"):
        out = tmp_path / f"{command}.png"
        run = subprocess.run(
            [sys.executable, "-m", "bot.cli", "--db", str(db), command, "Kharkiv", "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        assert run.returncode == 0, run.stderr
        assert f"written to {out}" in run.stdout
        assert png_size(out.read_bytes()) is not None
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", str(db), "map", "Kharkiv", "2022-04-20"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 1 and "No events in Kharkiv" in run.stderr


# --- through the Bot API fake -------------------------------------------------------------


@pytest.fixture
async def bot(seeded_db, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    async with seeded_bot(seeded_db, tmp_path) as (fake, _, _):
        yield fake


async def test_map_is_sent_as_a_photo_telegram_accepts(bot, caplog):
    sent = await bot.wait_for_reply_async(
        bot.user_message("/map Kharkiv"), method="sendPhoto", timeout=60
    )
    assert bot.rejections == []
    width, height = png_size(sent["photo"]["data"])
    assert (width, height) == (1200, 1000)
    caption = parse_telegram_html(sent["caption"])
    assert caption.startswith("Kharkiv — ") and "/e" in caption
    stored = [m for m in bot.bot_messages(sent["chat_id"]) if "photo" in m][-1]
    assert stored["photo"][0]["width"] == 1200
    assert_clean_logs(caplog)


async def test_the_map_button_under_city_sends_the_photo_and_an_empty_map_is_words(bot, caplog):
    reply = await bot.wait_for_reply_async(bot.user_message("/city Kharkiv"))
    message = bot.bot_messages(reply["chat_id"])[-1]
    data = {
        b["text"]: b["callback_data"]
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
    }
    bot.callback_query(message, data["Chart"])
    sent = await bot.wait_for_async("sendPhoto", timeout=60)
    assert png_size(sent["photo"]["data"]) is not None
    assert parse_telegram_html(sent["caption"]).startswith("Kharkiv — ")
    empty = await bot.wait_for_reply_async(bot.user_message("/map Kharkiv 2022-04-20"))
    assert "No events in Kharkiv" in parse_telegram_html(empty["text"])
    assert bot.rejections == []
    assert_clean_logs(caplog)


def blank_map(width: int, height: int) -> bytes:
    return render_map(MapSpec((), (30, 45, 31, 52), "blank", width=width, height=height))


def test_the_fake_refuses_a_photo_telegram_would_refuse():
    tall = blank_map(200, 9900)
    with BotApiFake() as fake, httpx.Client() as client:
        url = f"{fake.base_url}{fake.token}/sendPhoto"
        files = {"photo": ("t.png", tall, "image/png")}
        refused = client.post(url, data={"chat_id": "42"}, files=files).json()
        assert refused["description"] == "Bad Request: PHOTO_INVALID_DIMENSIONS"
        small = blank_map(300, 200)
        long = {"chat_id": "42", "caption": "x" * 1025}
        refused = client.post(url, data=long, files={"photo": ("s.png", small)}).json()
        assert refused["description"] == "Bad Request: message caption is too long"
        refused = client.post(url, data={"chat_id": "42"}, files={"photo": ("a", b"GIF89a")})
        assert refused.json()["description"] == "Bad Request: IMAGE_PROCESS_FAILED"
        accepted = client.post(
            url, data={"chat_id": "42", "caption": "ok"}, files={"photo": ("s.png", small)}
        ).json()
        assert accepted["ok"] and accepted["result"]["photo"][0]["height"] == 200


def test_a_ukrainian_readers_map_names_its_places_and_kinds_in_ukrainian(commands):
    reply = commands.handle("/map", Chat(id=7, lang="uk"))
    spec = spec_of(reply.picture.order)
    assert "Харків" in {name.split(" · ")[0] for _, _, name in spec.names}
    assert "Обстріл" in {label for label, _ in spec.legend}
    assert to_plain(reply.text).startswith("Україна — ")
