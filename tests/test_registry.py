"""One registry, many views: the README table, /help, the command menu and the console all come
from bot/registry.py; and what Telegram-native extras do over the Bot API fake (deep links, the
group greeting, scoped menus, totals)."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from bot import registry
from bot.commands import Chat, Commands
from bot.console import ask
from bot.render import to_plain
from store.db import Store

try:
    from tests.botapi_fake import BotApiFake, parse_telegram_html
    from tests.questions import Expected
    from tests.running_bot import assert_clean_logs, seeded_bot, start_bot, stop_bot
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, parse_telegram_html  # type: ignore[no-redef]
    from questions import Expected  # type: ignore[no-redef]
    from running_bot import assert_clean_logs, seeded_bot, start_bot, stop_bot  # type: ignore[no-redef]

README = Path(__file__).resolve().parent.parent / "README.md"
GROUP = -300


def test_the_readme_command_table_is_the_registry():
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- commands:[^>]*-->\n(.*?)\n<!-- /commands -->", text, re.S)
    assert table is not None, "README.md lost its generated command table"
    assert registry.readme_table() == table.group(1)


@pytest.mark.parametrize("chat_type", ["private", "group"])
def test_help_lists_what_the_registry_offers_in_that_chat(seeded_store, chat_type):
    text = Commands(seeded_store).handle(
        "/help", Chat(-5 if chat_type == "group" else 5, chat_type)
    )
    assert text is not None
    for command in registry.for_chat(chat_type):
        assert f"/{command.name} — {command.summary}" in to_plain(text.text)
    listed = set(re.findall(r"^/(\w+) — ", to_plain(text.text), re.M))
    assert listed == {c.name for c in registry.for_chat(chat_type)}


def test_every_registered_command_has_an_answer(seeded_store):
    commands = Commands(seeded_store)
    for command in registry.COMMANDS:
        assert hasattr(commands, f"cmd_{command.name}"), command.name


def test_the_console_tries_subscriptions_on_a_local_chat(seeded_store):
    assert ask(seeded_store, "/subscribe Kharkiv").startswith("Subscribed to Kharkiv.")
    assert "• Kharkiv" in ask(seeded_store, "/subscriptions")
    assert ask(seeded_store, "/unsubscribe Kharkiv") == "Unsubscribed (1)."


@pytest.mark.parametrize("argument", ["", "Atlantis", "<b>x</b>"])
def test_usage_errors_are_short(seeded_store, argument):
    reply = Commands(seeded_store).handle(f"/subscribe {argument}")
    assert reply is not None and len(to_plain(reply.text)) <= 300


def test_a_group_member_cannot_change_subscriptions(seeded_store):
    member = Chat(GROUP, "group", admin=False)
    reply = Commands(seeded_store).handle("/subscribe Kharkiv", member)
    assert reply is not None and "administrators" in reply.text


# --- over the Bot API fake -------------------------------------------------------------------


@pytest.fixture
async def bot(seeded_db, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    async with seeded_bot(seeded_db, tmp_path) as (fake, store, app):
        fake.store = store  # type: ignore[attr-defined]
        fake.app_bot = app.bot  # type: ignore[attr-defined]
        yield fake


async def test_the_menu_is_scoped_admins_see_admin_commands(bot):
    private = [c["command"] for c in bot.commands()]
    members = [c["command"] for c in bot.commands({"type": "all_group_chats"})]
    admins = [c["command"] for c in bot.commands({"type": "all_chat_administrators"})]
    assert private == [c.name for c in registry.menu("private")]
    assert "subscribe" not in members and "subscriptions" in members
    assert {"subscribe", "unsubscribe", "quiet", "digest"} <= set(admins)


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("/start e12", "Sources ("),
        # (the events the seeds hold are the extractor's business: the heading is this test's)
        ("/start city-Kharkiv", "Kharkiv — "),
        ("/start date-2022-03-02", "Events on Wed 2 Mar 2022 — "),
        ("/start stats-Mariupol", "Events: 1 (from 1 article)"),
    ],
)
async def test_deep_links_open_what_they_name(bot, caplog, link, shown):
    reply = await bot.wait_for_reply_async(bot.user_message(link))
    assert shown in parse_telegram_html(reply["text"])
    assert bot.rejections == []
    assert_clean_logs(caplog)


async def test_being_added_to_a_group_says_hello_with_two_first_steps(bot, caplog):
    bot.my_chat_member(GROUP, "member", old_status="left")
    greeting = await bot.wait_for_message_async(GROUP)
    assert greeting["text"].startswith("Hello!")
    assert "/city@sitrep_test_bot Kharkiv" in greeting["text"]
    assert "/subscribe@sitrep_test_bot" in greeting["text"]
    assert_clean_logs(caplog)


async def test_the_bare_event_command_explains_itself(bot, caplog):
    reply = await bot.wait_for_reply_async(bot.user_message("/event"))
    assert "/e12" in parse_telegram_html(reply["text"])
    tapped = await bot.wait_for_reply_async(bot.user_message("/e12"))
    assert "Sources (" in parse_telegram_html(tapped["text"])
    assert_clean_logs(caplog)


async def test_stats_for_a_place_gives_lower_bounds_over_distinct_events(bot, caplog):
    reply = await bot.wait_for_reply_async(bot.user_message("/stats Kharkiv March 2022"))
    text = parse_telegram_html(reply["text"])
    events = re.search(r"Events: (\d+) \(from 4 articles\)", text)
    assert events, text
    # Events 15 (21 killed, told by two articles) and 18 (at least 17): once each; every
    # other event is one with no figure.
    unknown = int(events.group(1)) - 2
    assert f"Killed: at least 38 in 2 events, {unknown} with no figure" in text
    assert_clean_logs(caplog)


CHANNEL = -1009876543210


def channel_post(fake: BotApiFake, text: str) -> int:
    """An administrator posts in the channel (channel posts have no sender, only the chat)."""
    chat = {"id": CHANNEL, "type": "channel", "title": "War news"}
    with fake._cond:
        fake._chats[CHANNEL] = chat
        message = {
            "message_id": fake._next_message_id(CHANNEL),
            "sender_chat": chat,
            "chat": chat,
            "date": 0,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        }
        fake._messages[(CHANNEL, message["message_id"])] = message
    return fake.push_update({"channel_post": message})


async def test_a_channel_subscribes_by_a_post_and_receives_new_events(seeded_db, tmp_path, caplog):
    from bot.push import push_once
    from store.indexer import index_articles
    from store.ingest import iter_articles
    from store.subscriptions import Subscriptions

    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    store = Store(path)
    fake = BotApiFake()
    app = await start_bot(store, fake)
    try:
        reply = await fake.wait_for_reply_async(channel_post(fake, "/subscribe Kharkiv"))
        assert parse_telegram_html(reply["text"]).startswith("Subscribed to Kharkiv.")
        assert [s.label for s in Subscriptions(store).of_chat(CHANNEL)] == ["Kharkiv"]
        articles = tmp_path / "articles"
        articles.mkdir()
        (articles / "strike.txt").write_text(
            "date 2022-03-10\nA Russian missile strike hit a school in Kharkiv on Thursday,"
            " the regional governor said.\n",
            encoding="utf-8",
        )
        index_articles(store, iter_articles([articles]))
        await push_once(app.bot, store)
        delivered = [p for p in fake.sent(CHANNEL) if "school" in p["text"]]
        assert len(delivered) == 1
        assert fake.rejections == []
        assert_clean_logs(caplog)
    finally:
        await stop_bot(app)
        fake.close()
        store.close()


# --- export in chat --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "suffix"),
    [("/export Kharkiv March 2022", ".csv"), ("/export Kharkiv geojson", ".geojson")],
)
async def test_export_sends_the_events_as_a_file(bot, caplog, command, suffix):
    import csv
    import io
    import json

    from store.export import CSV_COLUMNS

    sent = await bot.wait_for_reply_async(bot.user_message(command), method="sendDocument")
    document = sent["document"]
    assert document["filename"].endswith(suffix)
    kharkiv = Expected(bot.store).events({"place": "Kharkiv"})
    if suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(document["data"].decode("utf-8"))))
        assert tuple(rows[0]) == CSV_COLUMNS  # the columns of `sitrep export`
        assert {int(r["event_id"]) for r in rows} == kharkiv
    else:
        features = json.loads(document["data"])["features"]
        assert {f["properties"]["event_id"] for f in features} == kharkiv
        assert features[0]["geometry"]["type"] == "Point"
    assert sent["caption"] == f"{len(kharkiv)} events ({suffix[1:].upper()})"
    assert bot.rejections == [] and bot.errors == []
    assert_clean_logs(caplog)


# --- a channel managed from a private chat ----------------------------------------------------

ADMIN = 4242


@pytest.fixture
def channel(bot):
    bot.add_chat(CHANNEL, "channel", username="warnews", title="War news")
    bot.set_member_status(CHANNEL, ADMIN, "administrator")
    bot.set_member_status(CHANNEL, bot.bot_id, "administrator")
    return bot


async def test_a_channel_admin_subscribes_the_channel_from_a_private_chat(channel, caplog):
    fake = channel
    reply = await fake.wait_for_reply_async(
        fake.user_message("/channel @warnews subscribe Kharkiv", chat_id=ADMIN)
    )
    assert parse_telegram_html(reply["text"]) == (
        "@warnews: Subscribed to Kharkiv. New events will arrive here as they are indexed."
    )
    listing = await fake.wait_for_reply_async(
        fake.user_message("/channel @warnews subscriptions", chat_id=ADMIN)
    )
    assert "• Kharkiv" in parse_telegram_html(listing["text"])
    assert [c.method for c in fake.calls if c.method.startswith("getChat")] == [
        "getChat",
        "getChatAdministrators",
        "getChat",
        "getChatAdministrators",
    ]
    assert_clean_logs(caplog)


@pytest.mark.parametrize(
    ("who", "bot_admin", "argument", "answer"),
    [
        (1234, True, "@warnews subscribe Kharkiv", "Only the administrators of @warnews"),
        (ADMIN, False, "@warnews subscribe Kharkiv", "Add me to @warnews as an administrator"),
        (ADMIN, True, "@nosuchchannel subscribe Kharkiv", "I can't find the channel"),
        (ADMIN, True, "@warnews latest", "Usage: /channel @yourchannel subscribe"),
    ],
)
async def test_a_channel_is_managed_only_by_its_admins(
    channel, caplog, who, bot_admin, argument, answer
):
    fake = channel
    if not bot_admin:
        fake.set_member_status(CHANNEL, fake.bot_id, "member")
    reply = await fake.wait_for_reply_async(fake.user_message(f"/channel {argument}", chat_id=who))
    assert answer in parse_telegram_html(reply["text"])
    assert_clean_logs(caplog)


async def test_a_channel_subscribed_from_a_private_chat_receives_new_events(channel, tmp_path):
    from bot.push import push_once
    from store.indexer import index_articles
    from store.ingest import iter_articles

    fake = channel
    await fake.wait_for_reply_async(
        fake.user_message("/channel @warnews subscribe Kharkiv", chat_id=ADMIN)
    )
    articles = tmp_path / "new"
    articles.mkdir()
    (articles / "strike.txt").write_text(
        "date 2022-03-10\nA Russian missile strike hit a school in Kharkiv on Thursday,"
        " the regional governor said.\n",
        encoding="utf-8",
    )
    index_articles(fake.store, iter_articles([articles]))
    await push_once(fake.app_bot, fake.store)
    assert len([p for p in fake.sent(CHANNEL) if "school" in p["text"]]) == 1
    assert fake.sent(ADMIN)[-1]["chat_id"] == ADMIN  # the admin got the confirmation, not events
    assert fake.rejections == []
