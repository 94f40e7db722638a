"""The bot over real HTTP: python-telegram-bot polls the Bot API fake on 127.0.0.1.

No sleeps: every test waits on the fake for the call it expects. Absence of a reply is shown by
sending a second message and checking that the first reply to arrive answers the second one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

from bot import registry
from bot.render import Reply
from bot.telegram import build_application
from store.db import Store

try:
    from tests.botapi_fake import BotApiFake, parse_telegram_html, utf16_len
    from tests.running_bot import assert_clean_logs, start_bot, stop_bot
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, parse_telegram_html, utf16_len  # type: ignore[no-redef]
    from running_bot import assert_clean_logs, start_bot, stop_bot  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GROUP = -100123
MENU = [c.name for c in registry.menu("private")]
SORRY = "Sorry, something went wrong"
PICTURES = ("map", "chart")


@dataclass
class Running:
    fake: BotApiFake
    app: Application
    store: Store


@pytest.fixture
def bot_store(seeded_db, tmp_path) -> Store:
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    store = Store(path)
    yield store
    store.close()


@pytest.fixture
async def bot(bot_store, caplog) -> Running:
    caplog.set_level(logging.INFO)
    fake = BotApiFake()
    app = await start_bot(bot_store, fake)
    try:
        yield Running(fake, app, bot_store)
    finally:
        await stop_bot(app)
        fake.close()


def visible(payload: dict) -> str:
    return parse_telegram_html(payload["text"])


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


# --- commands --------------------------------------------------------------------------------


async def test_start_and_help_are_answered(bot, caplog):
    fake = bot.fake
    start = await fake.wait_for_reply_async(fake.user_message("/start"))
    assert visible(start).startswith("I answer questions about events of the war in Ukraine")
    assert start["parse_mode"] == "HTML"
    assert start["link_preview_options"] == {"is_disabled": True}
    help_reply = await fake.wait_for_reply_async(fake.user_message("/help"))
    assert "/city — Events in a place" in visible(help_reply)
    assert fake.rejections == [] and fake.errors == []
    assert_clean_logs(caplog)


async def test_the_command_menu_is_published_at_start(bot):
    published = bot.fake.commands()
    assert [c["command"] for c in published] == MENU
    assert all(c["description"] for c in published)


async def test_every_menu_command_is_answered_and_accepted(bot, caplog):
    fake = bot.fake
    for number, name in enumerate(MENU):
        chat = 2000 + number
        update = fake.user_message(f"/{name}", chat_id=chat)
        if name in PICTURES:  # a photo with its caption
            reply = await fake.wait_for_reply_async(update, method="sendPhoto", timeout=60)
            assert parse_telegram_html(reply["caption"]).strip(), name
            continue
        reply = await fake.wait_for_reply_async(update)
        assert visible(reply).strip(), name
        assert SORRY not in reply["text"], name
        assert fake.sent(chat), f"/{name}: Telegram refused the reply"
    assert fake.rejections == [] and fake.errors == []
    assert_clean_logs(caplog)


async def test_city_is_answered_with_html_that_lists_sources(bot, caplog):
    fake = bot.fake
    fake.user_message("/city Kharkiv")
    message = await fake.wait_for_message_async(1001)
    text = message["text"]  # the fake parsed the HTML: this is what the user sees
    assert text.startswith("Kharkiv — ")
    assert "page 1/" in text
    assert text.count("Sources (") == 5
    assert "Russian troops have occupied govt building in Kharkiv" in text
    assert {"type": "bold", "offset": 0, "length": len(text.split("\n")[0])} in message["entities"]
    assert list(buttons(message)) == ["▶", "Map", "Chart"]
    assert utf16_len(text) <= 4096
    assert fake.rejections == []
    assert_clean_logs(caplog)


async def test_next_and_back_buttons_edit_the_message(bot, caplog):
    fake = bot.fake
    fake.user_message("/city Kharkiv")
    message = await fake.wait_for_message_async(1001)
    pages = message["text"].split("\n")[0].rsplit("/", 1)[1]

    pressed = fake.callback_query(message, buttons(message)["▶"])
    answer = await fake.wait_for_reply_async(pressed)
    assert answer["callback_query_id"]
    edit = await fake.wait_for_async("editMessageText")
    assert edit["message_id"] == message["message_id"]
    assert f"page 2/{pages}" in visible(edit)
    current = next(m for m in fake.bot_messages(1001) if m["message_id"] == message["message_id"])
    assert current["text"].startswith("Kharkiv — ") and f"page 2/{pages}" in current["text"]
    assert list(buttons(current)) == ["◀", "▶", "Map", "Chart"]
    assert message["text"].split("/e")[1] not in current["text"]  # other events

    back = fake.callback_query(current, buttons(current)["◀"])
    await fake.wait_for_reply_async(back)
    edit = await fake.wait_for_async("editMessageText")
    assert visible(edit) == message["text"]
    assert fake.rejections == [] and fake.errors == []
    assert_clean_logs(caplog)


def give_sources(store: Store, event_id: int, n: int) -> None:
    """n more articles telling one event, with long titles and long sentences."""
    key = store.event(event_id)["key"]
    for i in range(n):
        article = f"extra{i:03d}"
        store.db.execute(
            "insert into articles (id, path, url, title, publisher, published)"
            " values (?, ?, ?, ?, ?, ?)",
            [article, f"/x/{article}.txt", f"https://example.org/{'x' * 500}/{i}",
             f"Report {i}: " + "Харків під обстрілом 🚀 " * 5, "Example News", "2022-03-03"],
        )  # fmt: skip
        store.db.execute(
            "insert into mentions (event_key, article_id, sentence, start, end, confidence,"
            " claimed_by, is_claim) values (?, ?, ?, 0, 10, 0.9, '', 0)",
            [key, article, "Rockets hit the building, officials said. " * 9],
        )
    store.db.conn.commit()


async def test_an_event_with_many_sources_is_paged_and_telegram_accepts_every_page(bot, caplog):
    fake = bot.fake
    event_id = bot.store.find_events(limit=1)[0][0]["id"]
    give_sources(bot.store, event_id, 30)
    fake.user_message(f"/event {event_id}")
    message = await fake.wait_for_message_async(1001)
    seen = [line for line in visible(message).split("\n") if line.startswith("• Report")]
    assert "Sources (" in visible(message) and ", page 1/" in visible(message)
    current = message
    while "▶" in buttons(current):
        await fake.wait_for_reply_async(fake.callback_query(current, buttons(current)["▶"]))
        edit = await fake.wait_for_async("editMessageText")
        seen += [line for line in visible(edit).split("\n") if line.startswith("• Report")]
        current = next(
            m for m in fake.bot_messages(1001) if m["message_id"] == message["message_id"]
        )
        assert len(seen) <= 30
    assert [line.split(":")[0] for line in seen] == [f"• Report {i}" for i in range(30)]
    assert fake.rejections == [] and fake.errors == []
    assert_clean_logs(caplog)


async def test_pressing_a_stale_button_twice_is_harmless(bot, caplog):
    fake = bot.fake
    fake.user_message("/city Kharkiv")
    message = await fake.wait_for_message_async(1001)
    data = buttons(message)["▶"]
    await fake.wait_for_reply_async(fake.callback_query(message, data))
    await fake.wait_for_async("editMessageText")
    # A double tap: the second press reaches the bot after the first edit.
    again = fake.callback_query(message, data, check_button=False)
    await fake.wait_for_reply_async(again)
    await fake.wait_for_async("editMessageText")
    follow = await fake.wait_for_reply_async(fake.user_message("/help"))
    assert "/city" in visible(follow)
    # Telegram refuses an edit to identical content; the bot lets it go without an error.
    assert [r.method for r in fake.rejections] == ["editMessageText"]
    assert "message is not modified" in fake.rejections[0].description
    assert_clean_logs(caplog)


async def test_a_suggestion_button_shows_the_place(bot, caplog):
    fake = bot.fake
    fake.user_message("/city Kharkof")
    message = await fake.wait_for_message_async(1001)
    assert message["text"].startswith("No place called 'Kharkof' — did you mean Kharkiv")
    await fake.wait_for_reply_async(fake.callback_query(message, buttons(message)["Kharkiv?"]))
    edit = await fake.wait_for_async("editMessageText")
    assert visible(edit).startswith("Kharkiv — ")
    assert fake.rejections == []
    assert_clean_logs(caplog)


@pytest.mark.parametrize(
    "data",
    ["x" * 100_000, "pg|1|city|" + "Kharkiv " * 20_000, "k|0123456789abcdef", "pg|x|city|K", ""],
)
async def test_a_forged_button_is_answered_as_expired_without_running_anything(bot, caplog, data):
    fake = bot.fake
    fake.user_message("/city Kharkiv")
    message = await fake.wait_for_message_async(1001)
    started = time.monotonic()
    await fake.wait_for_reply_async(fake.callback_query(message, data, check_button=False))
    edit = await fake.wait_for_async("editMessageText")
    assert time.monotonic() - started < 5
    assert visible(edit).startswith("That button has expired")
    follow = await fake.wait_for_reply_async(fake.user_message("/help"))
    assert "/city" in visible(follow)
    assert_clean_logs(caplog)


async def test_a_button_whose_data_is_over_64_bytes_is_sent_short_and_still_works(bot, caplog):
    fake = bot.fake
    long_data = "pg|0|city|Kharkiv 2022-03-01..2022-03-03" + " " * 40  # a 80-byte button
    commands = bot.app.bot_data["commands"]
    real = commands.handle
    commands.handle = lambda text, chat=None: Reply(
        "Pick one", [[("Kharkiv, 1–3 March", long_data)]]
    )
    fake.user_message("/city Pivdennyi Hirnycho-Zbahachuvalnyi Kombinat 1-3 March 2022")
    message = await fake.wait_for_message_async(1001)
    commands.handle = real
    [data] = buttons(message).values()
    assert len(data.encode()) <= 64
    await fake.wait_for_reply_async(fake.callback_query(message, data))
    edit = await fake.wait_for_async("editMessageText")
    assert visible(edit).startswith("Kharkiv on ")
    assert ([], []) == (fake.rejections, fake.errors)
    assert_clean_logs(caplog)


# --- groups ----------------------------------------------------------------------------------


async def test_a_command_addressed_to_us_in_a_group_is_answered(bot, caplog):
    fake = bot.fake
    sent = fake.user_message("/city@sitrep_test_bot Kharkiv", chat_id=GROUP, chat_type="group")
    reply = await fake.wait_for_reply_async(sent)
    assert visible(reply).startswith("Kharkiv — ")
    unknown = fake.user_message("/nonsense@sitrep_test_bot", chat_id=GROUP, chat_type="group")
    assert "/help" in visible(await fake.wait_for_reply_async(unknown))
    assert fake.rejections == []
    assert_clean_logs(caplog)


async def test_other_bots_commands_and_chatter_in_a_group_are_ignored(bot, caplog):
    fake = bot.fake
    fake.user_message("/city@other_bot Kharkiv", chat_id=GROUP, chat_type="group")
    fake.user_message("/nonsense@other_bot", chat_id=GROUP, chat_type="group")
    fake.user_message("/nonsense", chat_id=GROUP, chat_type="group")
    fake.user_message("Kharkiv is quiet tonight", chat_id=GROUP, chat_type="group")
    fake.user_message("/help@sitrep_test_bot", chat_id=GROUP, chat_type="group")
    first = await fake.wait_for_message_async(GROUP)
    assert first["text"].startswith("Commands"), "a reply to a message meant for someone else"
    assert len(fake.sent(GROUP)) == 1
    assert fake.rejections == []
    assert_clean_logs(caplog)


async def test_an_unknown_command_in_private_points_to_help(bot, caplog):
    reply = await bot.fake.wait_for_reply_async(bot.fake.user_message("/nonsense"))
    assert visible(reply) == "I don't know /nonsense. Send /help to see what I can do."
    assert_clean_logs(caplog)


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = {
    "10,000 characters": "Kharkiv " * 1250,
    "html": "<b>x</b><script>",
    "entities": "&amp; & <",
    "sql": "'; drop table events; --",
    "fts operators": '" * NEAR( - OR AND (',
    "emoji": "🚀💥",
    "arabic": "خاركيف",
    "hebrew": "חרקוב",
    "empty": "",
    "10,000 digits": "9" * 10_000,
    "superscript digit": "²",
}


async def test_hostile_arguments_get_polite_replies(bot, caplog):
    fake = bot.fake
    problems = []
    chat = 3000
    for command in ("city", "date", "search", "event", "latest"):
        for case, argument in HOSTILE.items():
            chat += 1  # one chat per case: a late "Sorry" cannot pass for the next reply
            reply = await fake.wait_for_reply_async(
                fake.user_message(f"/{command} {argument}".strip(), chat_id=chat)
            )
            refused = [r.description for r in fake.rejections if r.payload.get("chat_id") == chat]
            if refused:
                problems.append(f"/{command} <{case}>: Telegram refused the reply: {refused}")
            elif SORRY in reply["text"]:
                problems.append(f"/{command} <{case}>: the bot crashed ({SORRY!r})")
            elif not fake.sent(chat):
                problems.append(f"/{command} <{case}>: no accepted reply")
    assert problems == [], "\n".join(problems)
    assert fake.rejections == []
    assert fake.errors == []
    assert_clean_logs(caplog)


async def test_long_replies_are_accepted(bot, caplog):
    fake = bot.fake
    texts = ["/date 2022-03-01..2022-03-03", "/latest 20", "/sources", "/stats", "/event 1"]
    for number, text in enumerate(texts):
        await fake.wait_for_reply_async(fake.user_message(text, chat_id=4000 + number))
        assert fake.sent(4000 + number), text
    assert fake.rejections == []
    assert_clean_logs(caplog)


# --- inline mode -----------------------------------------------------------------------------


async def test_inline_query_is_answered_with_events(bot, caplog):
    fake = bot.fake
    answer = await fake.wait_for_reply_async(fake.inline_query("Kharkiv"))
    results = answer["results"]
    assert results
    for result in results:
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        text = parse_telegram_html(content["message_text"])
        assert "Sources (" in text
        assert utf16_len(text) <= 4096
        assert result["title"] and len(result["title"]) <= 100
    assert len({r["id"] for r in results}) == len(results)
    assert fake.rejections == []
    assert_clean_logs(caplog)


_TITLE = re.compile(r"(?P<place>[^·]+) · (?:around )?(?P<day>\d{1,2} \w{3} 2022) · (?P<kind>[^·]+)")


async def test_inline_results_are_titled_place_day_and_plain_kind(bot, caplog):
    fake = bot.fake
    answer = await fake.wait_for_reply_async(fake.inline_query("Kharkiv"))
    titles = [r["title"] for r in answer["results"]]
    assert titles
    for title in titles:
        m = _TITLE.fullmatch(title)
        assert m, title
        assert "Kharkiv" == m["place"]
        assert "/" not in m["kind"], title  # a plain label, not ACLED's "Shelling/artillery/..."
    assert "Missile strike on the administration building" in {
        _TITLE.fullmatch(t)["kind"] for t in titles
    }
    for result in answer["results"]:
        event = bot.store.event(int(result["id"]))
        assert event["summary"].startswith(result["description"].rstrip("…"))
    assert_clean_logs(caplog)


async def test_a_ukrainian_user_gets_inline_results_in_ukrainian(bot, caplog):
    fake = bot.fake
    fake.set_language(5151, "uk")
    answer = await fake.wait_for_reply_async(fake.inline_query("Kharkiv", user_id=5151))
    results = answer["results"]
    assert results
    for result in results:
        assert result["title"].startswith("Харків · "), result["title"]
        assert " бер 2022 · " in result["title"]
        text = parse_telegram_html(result["input_message_content"]["message_text"])
        assert "Джерела (" in text
    assert "Обстріл" in {r["title"].split(" · ")[2].split(":")[0] for r in results}
    assert_clean_logs(caplog)


@pytest.mark.parametrize("query", ["2022-03-01", "1 March", "March 1 2022"])
async def test_an_inline_query_that_is_a_date_gives_that_days_events(bot, caplog, query):
    fake = bot.fake
    answer = await fake.wait_for_reply_async(fake.inline_query(query))
    ids = [int(r["id"]) for r in answer["results"]]
    expected = bot.store.find_events(date_from=date(2022, 3, 1), date_to=date(2022, 3, 1))[0]
    assert [e["id"] for e in expected] == ids
    assert all(" · 1 Mar 2022 · " in r["title"] for r in answer["results"])
    assert_clean_logs(caplog)


async def test_an_inline_query_with_a_place_and_a_day_gives_that_places_day(bot, caplog):
    fake = bot.fake
    answer = await fake.wait_for_reply_async(fake.inline_query("Kyiv 1 March"))
    titles = [r["title"] for r in answer["results"]]
    assert ["Kyiv · 1 Mar 2022 · Air strike on the TV tower"] == titles


async def test_an_empty_inline_query_gives_the_newest_days_main_events(bot, caplog):
    fake = bot.fake
    answer = await fake.wait_for_reply_async(fake.inline_query(""))
    newest = bot.store.last_date()
    expected = bot.store.find_events(limit=10)[0]
    assert [e["id"] for e in expected] == [int(r["id"]) for r in answer["results"]]
    assert expected and expected[0]["date"] == newest.isoformat()
    assert_clean_logs(caplog)


async def test_any_inline_query_is_answered(bot, caplog):
    fake = bot.fake
    for query in ["", "hospital", '" * NEAR( - OR AND (', "🚀💥", "<b>x</b>", "x" * 300]:
        answer = await fake.wait_for_reply_async(fake.inline_query(query))
        assert isinstance(answer["results"], list), query
    assert fake.rejections == [] and fake.errors == []
    assert_clean_logs(caplog)


# --- Telegram errors -------------------------------------------------------------------------


async def test_a_429_is_retried_after_telegrams_wait(bot, caplog):
    fake = bot.fake
    fake.inject("sendMessage", 429, retry_after=1)
    fake.user_message("/help")
    message = await fake.wait_for_message_async(1001)
    assert message["text"].startswith("Commands")
    assert [(f.method, f.error_code) for f in fake.failures] == [("sendMessage", 429)]
    assert len(fake.sent(1001)) == 1
    assert_clean_logs(caplog)


async def test_a_403_does_not_stop_the_bot(bot, caplog):
    fake = bot.fake
    fake.inject("sendMessage", 403, chat_id=5001)
    await fake.wait_for_reply_async(fake.user_message("/help", chat_id=5001))
    assert [(f.method, f.error_code) for f in fake.failures] == [("sendMessage", 403)]
    reply = await fake.wait_for_reply_async(fake.user_message("/help", chat_id=5002))
    assert visible(reply).startswith("Commands")
    assert fake.sent(5001) == []
    assert any("Forbidden" in r.getMessage() or "blocked" in r.getMessage() for r in caplog.records)
    assert_clean_logs(caplog)


async def test_a_5xx_on_get_updates_does_not_stop_polling(bot, caplog):
    fake = bot.fake
    fake.inject("getUpdates", 500)
    reply = await fake.wait_for_reply_async(fake.user_message("/help"))
    assert visible(reply).startswith("Commands")
    assert [(f.method, f.error_code) for f in fake.failures] == [("getUpdates", 500)]
    assert_clean_logs(caplog)


# --- sitrep run ------------------------------------------------------------------------------


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "SITREP_DB")}
    env.pop("SITREP_BOT_API_URL", None)
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def test_run_without_a_token_points_to_chat(db_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", str(db_path), "run"],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "sitrep chat" in lines[0]
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_run_serves_the_fake_until_terminated(seeded_db, tmp_path):
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    with BotApiFake() as fake:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "--db",
                str(path),
                "run",
                "--token",
                fake.token,
                "--bot-api-url",
                fake.base_url,
                "--push-interval",
                "3600",
            ],
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            fake.wait_for("setMyCommands", timeout=30)
            assert [c["command"] for c in fake.commands()] == MENU
            reply = fake.wait_for_reply(fake.user_message("/city Kharkiv"), timeout=20)
            assert parse_telegram_html(reply["text"]).startswith("Kharkiv — ")
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        assert fake.token not in err + out  # httpx would log every URL, token included
        assert fake.rejections == [] and fake.errors == []


# --- webhook ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command_update(update_id: int, text: str, chat_id: int = 4242) -> dict:
    user = {"id": chat_id, "is_bot": False, "first_name": "Webhook"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": user,
            "chat": {"id": chat_id, "type": "private", "first_name": "Webhook"},
            "date": 1646200000,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def test_a_webhook_with_the_secret_is_answered_and_one_without_is_refused(bot_store, caplog):
    caplog.set_level(logging.INFO)
    fake = BotApiFake()
    app = build_application(bot_store, fake.token, base_url=fake.base_url, push_interval=None)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/sitrep"
    await app.initialize()
    try:
        await app.updater.start_webhook(
            listen="127.0.0.1", port=port, url_path="sitrep", webhook_url=url, secret_token="s3cr3t"
        )
        await app.start()
        registered = await fake.wait_for_async("setWebhook")
        assert (url, "s3cr3t") == (registered["url"], registered["secret_token"])
        async with httpx.AsyncClient() as client:
            refused = await client.post(url, json=_command_update(1, "/city Atlantis"))
            assert 403 == refused.status_code
            accepted = await client.post(
                url,
                json=_command_update(2, "/city Kharkiv"),
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cr3t"},
            )
            assert 200 == accepted.status_code
        reply = await fake.wait_for_async("sendMessage", lambda p: p["chat_id"] == 4242)
        assert visible(reply).startswith("Kharkiv — ")
        assert [] == [p for p in fake.sent(4242) if "Atlantis" in p["text"]]
        assert ([], []) == (fake.rejections, fake.errors)
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        fake.close()
    assert_clean_logs(caplog)


# --- start-up failures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, says",
    [
        (401, "Telegram refused the bot token"),
        (404, "Telegram refused the bot token"),
        (500, "Telegram could not be reached"),
    ],
)
def test_a_failed_start_says_why_in_one_line_and_never_shows_the_token(db_path, code, says):
    with BotApiFake() as fake:
        fake.inject("getMe", code, times=None)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "--db",
                str(db_path),
                "-v",
                "run",
                "--token",
                fake.token,
                "--bot-api-url",
                fake.base_url,
            ],
            env=cli_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    output = result.stdout + result.stderr
    assert fake.token not in output
    assert fake.token.split(":")[1] not in output  # not even the secret half
    assert "Traceback" not in output
    assert 1 == result.returncode
    assert says in result.stderr.strip().splitlines()[-1]


def test_a_webhook_without_a_secret_token_refuses_to_start(db_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "--db",
            str(db_path),
            "run",
            "--token",
            "1:x",
            "--webhook-url",
            "https://example.org/sitrep",
        ],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert 2 == result.returncode
    assert "--secret-token" in result.stderr and "--insecure-webhook" in result.stderr
    assert "Traceback" not in result.stderr


async def test_a_refused_reply_is_logged_with_its_method_and_telegrams_reason(bot, caplog):
    fake = bot.fake
    fake.inject("sendMessage", 400, "Bad Request: BUTTON_DATA_INVALID", chat_id=5003)
    fake.user_message("/help", chat_id=5003)
    await fake.wait_for_async("sendMessage", lambda p: p["chat_id"] == 5003)
    reply = await fake.wait_for_reply_async(fake.user_message("/help", chat_id=5004))
    assert visible(reply).startswith("Commands")
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("sitrep")]
    assert any("sendMessage" in m and "button_data_invalid" in m.lower() for m in logged), logged
    assert not any("busy or unreachable" in m for m in logged)
    assert not any(fake.token in r.getMessage() for r in caplog.records if r.name != "httpx")
    assert_clean_logs(caplog)


def test_an_unreachable_bot_api_is_one_line_and_no_traceback(db_path):
    token = "4242:AAUnreachableTokenForSitrepTests_xyz"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "--db",
            str(db_path),
            "run",
            "--token",
            token,
            "--bot-api-url",
            f"http://127.0.0.1:{_free_port()}/bot",
        ],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (1, "") == (result.returncode, "Traceback" * ("Traceback" in result.stderr))
    assert token not in result.stdout + result.stderr
    assert "Telegram could not be reached" in result.stderr.strip().splitlines()[-1]
