"""Exporting and importing a chat's subscriptions as a file: through Commands on a real SQLite
file, then over real HTTP against the Bot API fake (the file sent with sendDocument, sent back
as a document with a caption or replied to, fetched with getFile and a download; a channel's
from the private chat that manages it)."""

from __future__ import annotations

import json
import logging

import pytest

from bot.commands import Chat, Commands
from bot.render import to_plain
from bot.subscription_file import load
from store.db import Store
from store.subscriptions import Subscriptions

try:
    from tests.botapi_fake import BotApiFake, parse_telegram_html
    from tests.running_bot import assert_clean_logs, seeded_bot
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, parse_telegram_html  # type: ignore[no-redef]
    from running_bot import assert_clean_logs, seeded_bot  # type: ignore[no-redef]

HOME = Chat(11, "private")
AWAY = Chat(22, "private")
GROUP = -400
ADMIN = 4242
MEMBER = 4343
CHANNEL = -1009876543211


def listing(store: Store, chat_id: int) -> list[str]:
    return sorted(s.describe() for s in Subscriptions(store).of_chat(chat_id))


def exported(commands: Commands, chat: Chat) -> bytes:
    reply = commands.handle("/subscriptions export", chat)
    assert reply is not None and reply.document is not None
    return reply.document[1]


@pytest.fixture
def commands(seeded_store) -> Commands:
    commands = Commands(seeded_store)
    for what in ("Kharkiv", "Kyiv oblast shelling", "all +hospital -sanctions"):
        commands.handle(f"/subscribe {what}", HOME)
    commands.handle("/quiet on", HOME)
    commands.handle("/digest 08:00 only Europe/London", HOME)
    return commands


# --- through Commands ------------------------------------------------------------------------


def test_export_writes_every_subscription_and_the_settings(commands):
    file = load(exported(commands, HOME))
    assert [e.describe() for e in file.entries] == [
        "Kharkiv",
        "Kyiv Oblast Shelling/artillery/missile attack",
        "all +hospital -sanctions",
    ]
    assert (True, "08:00", "Europe/London", False) == (
        file.settings.quiet,
        file.settings.digest_time,
        file.settings.timezone,
        file.settings.instant,
    )


def test_import_into_another_chat_restores_subscriptions_and_settings(commands):
    store = commands.store
    reply = commands.import_subscriptions(exported(commands, HOME), AWAY)
    assert listing(store, HOME.id) == listing(store, AWAY.id)
    settings = Subscriptions(store).chat(AWAY.id)
    assert (1, "08:00", "Europe/London", 0) == (
        settings["quiet"],
        settings["digest_time"],
        settings["timezone"],
        settings["instant"],
    )
    assert to_plain(reply.text).startswith("Imported: 3 added, 0 already here, 0 refused.")


def test_importing_twice_adds_nothing_the_second_time(commands):
    data = exported(commands, HOME)
    commands.import_subscriptions(data, AWAY)
    reply = commands.import_subscriptions(data, AWAY)
    assert to_plain(reply.text).startswith("Imported: 0 added, 3 already here, 0 refused.")
    assert 3 == len(Subscriptions(commands.store).of_chat(AWAY.id))


def test_import_keeps_what_the_chat_had_and_names_what_it_refused(commands):
    data = json.loads(exported(commands, HOME))
    data["subscriptions"] += [
        {"place": "Atlantis", "scope": "place"},
        {"place": "Odesa", "scope": "place", "kind": "teleportation"},
        {"place": "Lviv", "scope": "place", "place_id": 1, "kind": "shelling"},
        "not an entry",
    ]
    commands.handle("/subscribe Mariupol", AWAY)
    reply = to_plain(commands.import_subscriptions(json.dumps(data).encode(), AWAY).text)
    assert reply.startswith("Imported: 4 added, 0 already here, 3 refused.")
    assert "Refused: Atlantis — I don't know a place called 'Atlantis'" in reply
    assert "Refused: Odesa teleportation — I don't know the kind 'teleportation'" in reply
    assert "Refused: not an entry — this entry of the file is damaged" in reply
    # a stale id is looked up by the name; a kind word is read as /subscribe reads it
    assert "Lviv Shelling/artillery/missile attack" in listing(commands.store, AWAY.id)
    assert "Mariupol" in listing(commands.store, AWAY.id)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"Kharkiv\nKyiv\n", "I can't read that file: it is not a JSON file"),
        (b'{"format": "sitrep-subscriptions", "version": 9, "subscriptions": []}', "newer"),
        (b'{"events": []}', "it is not a subscriptions file"),
    ],
)
def test_a_bad_file_is_explained_and_nothing_changes(commands, data, says):
    before = listing(commands.store, HOME.id)
    reply = to_plain(commands.import_subscriptions(data, HOME).text)
    assert says in reply and reply.endswith("Nothing was changed.")
    assert before == listing(commands.store, HOME.id)


def test_import_into_the_same_chat_keeps_each_subscriptions_topic(seeded_store):
    commands = Commands(seeded_store)
    forum = Chat(-1001, "supergroup", thread_id=7)
    commands.handle("/subscribe Kharkiv", forum)
    data = exported(commands, forum)
    commands.handle("/unsubscribe", forum)
    commands.import_subscriptions(data, Chat(-1001, "supergroup", thread_id=0))
    assert [7] == [s.thread_id for s in Subscriptions(seeded_store).of_chat(-1001)]


def test_a_group_member_cannot_import(commands):
    member = Chat(GROUP, "group", admin=False)
    reply = commands.import_subscriptions(exported(commands, HOME), member)
    assert "Only this group's administrators" in reply.text
    assert [] == listing(commands.store, GROUP)


def test_import_without_a_file_says_how(commands):
    reply = commands.handle("/subscriptions import", HOME)
    assert "with the caption <code>/subscriptions import</code>" in reply.text


def test_a_ukrainian_chat_hears_the_import_in_ukrainian(commands):
    reply = commands.import_subscriptions(b"{}", Chat(33, "private", lang="uk"))
    assert to_plain(reply.text).startswith("Не можу прочитати цей файл: це не файл підписок")


def test_the_console_writes_the_file_and_reads_it_back(seeded_store, tmp_path):
    from bot.console import ask

    ask(seeded_store, "/subscribe Kharkiv")
    written = ask(seeded_store, "/subscriptions export", folder=tmp_path)
    path = next(tmp_path.glob("sitrep-subscriptions-*.json"))
    assert str(path) in written
    ask(seeded_store, "/unsubscribe")
    assert ask(seeded_store, f"/subscriptions import {path}").startswith("Imported: 1 added")
    assert "I can't read a file at" in ask(seeded_store, "/subscriptions import /no/such/file")


# --- over the Bot API fake -------------------------------------------------------------------


@pytest.fixture
async def bot(seeded_db, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    async with seeded_bot(seeded_db, tmp_path) as (fake, store, _):
        fake.store = store  # type: ignore[attr-defined]
        yield fake


async def say(fake: BotApiFake, text: str, chat_id: int = ADMIN, **kwargs) -> str:
    reply = await fake.wait_for_reply_async(fake.user_message(text, chat_id=chat_id, **kwargs))
    return parse_telegram_html(reply["text"])


async def export_file(fake: BotApiFake, text: str, chat_id: int = ADMIN) -> dict:
    """The bot's sendDocument in answer to `text`, and the message the fake stored for it."""
    update = fake.user_message(text, chat_id=chat_id)
    sent = await fake.wait_for_reply_async(update, method="sendDocument")
    return sent


def stored_document(fake: BotApiFake, chat_id: int) -> dict:
    """The newest document message the bot sent to the chat, as Telegram keeps it."""
    return [m for m in fake.bot_messages(chat_id) if "document" in m][-1]


async def test_export_sends_a_file_and_sending_it_back_with_a_caption_restores_it(bot, caplog):
    fake = bot
    await say(fake, "/subscribe Kharkiv")
    await say(fake, "/subscribe all +hospital")
    sent = await export_file(fake, "/subscriptions export")
    assert sent["document"]["filename"].endswith(".json")
    assert "/subscriptions import" in parse_telegram_html(sent["caption"])
    update = fake.user_document(
        sent["document"]["data"], "subs.json", caption="/subscriptions import", chat_id=5555
    )
    reply = parse_telegram_html((await fake.wait_for_reply_async(update))["text"])
    assert reply.startswith("Imported: 2 added, 0 already here, 0 refused.")
    assert listing(fake.store, ADMIN) == listing(fake.store, 5555)
    assert len(fake.downloads) == 1
    assert fake.rejections == [] and fake.errors == []
    assert_clean_logs(caplog)


async def test_replying_to_the_exported_file_with_import_restores_it(bot, caplog):
    fake = bot
    await say(fake, "/subscribe Kharkiv")
    await export_file(fake, "/subscriptions export")
    await say(fake, "/unsubscribe")
    assert [] == listing(fake.store, ADMIN)
    document = stored_document(fake, ADMIN)
    reply = await say(fake, "/subscriptions import", reply_to=document)
    assert reply.startswith("Imported: 1 added")
    assert ["Kharkiv"] == listing(fake.store, ADMIN)
    assert_clean_logs(caplog)


async def test_the_export_button_under_subscriptions_sends_the_file(bot, caplog):
    fake = bot
    await say(fake, "/subscribe Kharkiv")
    await say(fake, "/subscriptions")
    message = [m for m in fake.bot_messages(ADMIN) if "Subscriptions" in m.get("text", "")][-1]
    data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    fake.callback_query(message, data)
    sent = await fake.wait_for_async("sendDocument")
    assert ["Kharkiv"] == [e.place for e in load(sent["document"]["data"]).entries]
    assert_clean_logs(caplog)


async def test_a_file_that_is_not_ours_gets_a_clear_answer(bot, caplog):
    fake = bot
    await say(fake, "/subscribe Kharkiv")
    update = fake.user_document(
        b"hello", "notes.txt", caption="/subscriptions import", chat_id=ADMIN
    )
    reply = parse_telegram_html((await fake.wait_for_reply_async(update))["text"])
    assert reply.startswith("I can't read that file") and reply.endswith("Nothing was changed.")
    assert ["Kharkiv"] == listing(fake.store, ADMIN)
    assert_clean_logs(caplog)


async def test_a_file_with_another_caption_or_none_is_ignored(bot, caplog):
    fake = bot
    fake.user_document(b"{}", "a.json", caption="holiday photos", chat_id=ADMIN)
    fake.user_document(b"{}", "b.json", caption="/subscriptions@other_bot import", chat_id=ADMIN)
    # the next answer is to the next message: the files got none
    assert (await say(fake, "/help")).startswith("Commands")
    assert fake.downloads == []
    assert_clean_logs(caplog)


async def test_a_group_member_cannot_import_but_an_admin_can(bot, caplog):
    fake = bot
    await say(fake, "/subscribe Kharkiv")
    data = (await export_file(fake, "/subscriptions export"))["document"]["data"]
    fake.set_member_status(GROUP, ADMIN, "administrator")
    for who, says in ((MEMBER, "Only this group's administrators"), (ADMIN, "Imported: 1 added")):
        update = fake.user_document(
            data,
            "subs.json",
            caption="/subscriptions import",
            chat_id=GROUP,
            user_id=who,
            chat_type="group",
        )
        reply = parse_telegram_html((await fake.wait_for_reply_async(update))["text"])
        assert reply.startswith(says), reply
    assert ["Kharkiv"] == listing(fake.store, GROUP)
    assert_clean_logs(caplog)


async def test_a_channels_subscriptions_export_and_import_from_the_private_chat(bot, caplog):
    fake = bot
    fake.add_chat(CHANNEL, "channel", username="warnews2", title="War news")
    fake.set_member_status(CHANNEL, ADMIN, "administrator")
    fake.set_member_status(CHANNEL, fake.bot_id, "administrator")
    await say(fake, "/subscribe Kharkiv")
    await say(fake, "/subscribe Mariupol")
    data = (await export_file(fake, "/subscriptions export"))["document"]["data"]
    update = fake.user_document(
        data, "subs.json", caption="/channel @warnews2 subscriptions import", chat_id=ADMIN
    )
    reply = parse_telegram_html((await fake.wait_for_reply_async(update))["text"])
    assert reply.startswith("@warnews2: Imported: 2 added")
    assert ["Kharkiv", "Mariupol"] == listing(fake.store, CHANNEL)
    sent = await export_file(fake, "/channel @warnews2 subscriptions export")
    assert sent["chat_id"] == ADMIN  # the file comes to the admin, not into the channel
    assert CHANNEL == load(sent["document"]["data"]).chat_id
    sends = [c for c in fake.calls if c.method.startswith("send")]
    assert [] == [c for c in sends if c.payload.get("chat_id") == CHANNEL]
    assert_clean_logs(caplog)


def test_a_threshold_travels_with_its_subscription_through_the_file(seeded_store):
    commands = Commands(seeded_store)
    commands.handle("/subscribe Kharkiv min 2 sources", HOME)
    commands.import_subscriptions(exported(commands, HOME), AWAY)
    (sub,) = Subscriptions(seeded_store).of_chat(AWAY.id)
    assert sub.threshold is not None and (2, "sources") == (sub.threshold.count, sub.threshold.of)
