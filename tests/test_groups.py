"""Group subscriptions and push delivery over real HTTP against the Bot API fake (issue 5).

Each test subscribes chats through the bot's own handlers, indexes a new article, and calls
push_once the way the job queue would; the fake shows what Telegram received.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from telegram import Bot
from telegram.ext import Application

from bot.push import OUTAGE, PARALLEL_SENDS, ChatBackoff, digest_job, push_once
from bot.render import render_digest
from store.db import Store
from store.indexer import index_articles
from store.ingest import iter_articles
from store.subscriptions import Subscriptions

try:
    from tests.botapi_fake import BotApiFake, parse_telegram_html, utf16_len
    from tests.running_bot import assert_clean_logs, start_bot, stop_bot
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, parse_telegram_html, utf16_len  # type: ignore[no-redef]
    from running_bot import assert_clean_logs, start_bot, stop_bot  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ADMIN = 1001
MEMBER = 1002
GROUP = -200
OTHER = -201
THIRD = -202
FORUM = -1001234567890
EVENT_LINE = re.compile(r"/e(?:vent )?\d+")  # the tappable command under each event
ANONYMOUS_ADMIN_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group"}

STRIKE = (
    "date 2022-03-10\n"
    "A Russian missile strike hit a school in Kharkiv on Thursday, the regional governor said.\n"
)
STRIKE_WITH_FIGURES = (
    "date 2022-03-10\n"
    "A Russian missile strike hit a school in Kharkiv on Thursday, killing 4 people,"
    " the regional governor said.\n"
)
POWER_PLANT = (
    "date 2022-03-11\n"
    "A Russian drone strike hit a power plant in Kharkiv on Friday, the mayor said.\n"
)
HOSPITAL = (
    "date 2022-03-12\nRussian shelling damaged a hospital in Kharkiv on Saturday, the mayor said.\n"
)


@dataclass
class Running:
    fake: BotApiFake
    app: Application
    store: Store
    articles: Path

    def index(self, name: str, text: str) -> None:
        """Write one article into the watched folder and index the folder."""
        (self.articles / name).write_text(text, encoding="utf-8")
        report = index_articles(self.store, iter_articles([self.articles]))
        assert report.failed == 0, report.problems
        assert report.events_added + report.events_updated > 0, (
            f"the extractor found no event in {name}: {report.summary()}"
        )

    async def command(self, text: str, chat_id: int, user_id: int = ADMIN, **kwargs) -> str:
        """A user sends a command in a chat; returns what the bot answered, as seen."""
        update = self.fake.user_message(
            text,
            chat_id=chat_id,
            user_id=user_id,
            chat_type=kwargs.pop("chat_type", None),
            **kwargs,
        )
        reply = await self.fake.wait_for_reply_async(update)
        return parse_telegram_html(reply["text"])

    async def processed(self) -> None:
        """Every update pushed so far has been handled (they are handled in order)."""
        await self.command("/help", chat_id=99)


@pytest.fixture
def db_file(seeded_db, tmp_path) -> Path:
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    return path


@pytest.fixture
async def bot(db_file, tmp_path, caplog) -> Running:
    caplog.set_level(logging.INFO)
    fake = BotApiFake()
    store = Store(db_file)
    app = await start_bot(store, fake)
    articles = tmp_path / "articles"
    articles.mkdir()
    try:
        yield Running(fake, app, store, articles)
    finally:
        await stop_bot(app)
        fake.close()
        store.close()


def pushes(fake: BotApiFake, chat_id: int) -> list[dict]:
    """Accepted sendMessage payloads that deliver an event (replies to commands excluded)."""
    return [p for p in fake.sent(chat_id) if EVENT_LINE.search(p["text"])]


def attempts(fake: BotApiFake, chat_id: int) -> list[dict]:
    """Every event delivery the bot tried in a chat, accepted or not."""
    return [
        c.payload
        for c in fake.calls
        if c.method == "sendMessage"
        and c.payload.get("chat_id") == chat_id
        and EVENT_LINE.search(c.payload.get("text", ""))
    ]


async def subscribe(bot: Running, chat_id: int, what: str = "Kharkiv", **kwargs) -> str:
    bot.fake.set_member_status(chat_id, ADMIN, "administrator")
    kwargs.setdefault("chat_type", "supergroup" if chat_id <= -(10**12) else "group")
    return await bot.command(f"/subscribe {what}", chat_id, ADMIN, **kwargs)


def anonymous_admin_message(fake: BotApiFake, chat_id: int, text: str) -> int:
    """An anonymous administrator writes: sender_chat is the group itself.

    fake.user_message cannot set sender_chat, so the message is built here and stored in the
    fake (as Telegram knows every message) so that the bot's quoting reply is accepted.
    """
    chat = {"id": chat_id, "type": "group", "title": f"Test group {abs(chat_id)}"}
    with fake._cond:
        message = {
            "message_id": fake._next_message_id(chat_id),
            "from": ANONYMOUS_ADMIN_BOT,
            "sender_chat": chat,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        }
        fake._messages[(chat_id, message["message_id"])] = message
    return fake.push_update({"message": message})


# --- who may subscribe -----------------------------------------------------------------------


async def test_a_group_admin_subscribes(bot, caplog):
    answer = await subscribe(bot, GROUP)
    assert answer.startswith("Subscribed to Kharkiv.")
    [sub] = Subscriptions(bot.store).of_chat(GROUP)
    assert (sub.scope, sub.label, sub.thread_id) == ("place", "Kharkiv", 0)
    assert (await subscribe(bot, GROUP)).startswith("Already subscribed to Kharkiv.")
    assert len(Subscriptions(bot.store).of_chat(GROUP)) == 1
    assert_clean_logs(caplog)


async def test_the_group_owner_subscribes(bot):
    bot.fake.set_member_status(GROUP, 1003, "creator")
    answer = await bot.command("/subscribe Kharkiv", GROUP, 1003, chat_type="group")
    assert answer.startswith("Subscribed to Kharkiv.")


async def test_a_plain_member_is_refused_politely(bot, caplog):
    answer = await bot.command("/subscribe Kharkiv", GROUP, MEMBER, chat_type="group")
    assert answer == "Only this group's administrators can change its subscriptions."
    assert Subscriptions(bot.store).of_chat(GROUP) == []
    for text in ("/unsubscribe", "/quiet on", "/digest 08:00"):
        assert "administrators" in await bot.command(text, GROUP, MEMBER, chat_type="group")
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


async def test_an_anonymous_admin_subscribes(bot, caplog):
    update = anonymous_admin_message(bot.fake, GROUP, "/subscribe Kharkiv")
    reply = await bot.fake.wait_for_reply_async(update)
    assert parse_telegram_html(reply["text"]).startswith("Subscribed to Kharkiv.")
    assert len(Subscriptions(bot.store).of_chat(GROUP)) == 1
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


async def test_anyone_subscribes_in_a_private_chat(bot):
    assert (await bot.command("/subscribe Kharkiv", 1005)).startswith("Subscribed to Kharkiv.")


@pytest.mark.parametrize(
    ("argument", "answer"),
    [
        ("", "Usage: /subscribe"),
        ("Atlantis", "No place called 'Atlantis'."),
        ("Kharkof", "Did you mean Kharkiv"),
        ("<b>x</b><script>", "No place called '<b>x</b><script>'"),
    ],
)
async def test_a_subscription_that_cannot_be_read_is_explained(bot, caplog, argument, answer):
    assert answer in await subscribe(bot, GROUP, argument)
    assert Subscriptions(bot.store).of_chat(GROUP) == []
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


# --- delivery --------------------------------------------------------------------------------


async def test_a_new_event_is_delivered_exactly_once(bot, caplog):
    await subscribe(bot, GROUP)
    await subscribe(bot, OTHER, "Lviv")
    bot.index("strike.txt", STRIKE)
    report = await push_once(bot.app.bot, bot.store)
    [message] = pushes(bot.fake, GROUP)
    text = parse_telegram_html(message["text"])
    assert "school in Kharkiv" in text and "Sources (1)" in text
    assert message["parse_mode"] == "HTML"
    assert not message.get("disable_notification")
    assert "message_thread_id" not in message
    assert (report.sent, report.failed, report.deferred) == (1, 0, False)
    assert pushes(bot.fake, OTHER) == []

    again = await push_once(bot.app.bot, bot.store)
    assert (again.queued, again.sent) == (0, 0)
    assert len(pushes(bot.fake, GROUP)) == 1
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


async def test_only_events_indexed_after_subscribing_are_pushed(bot):
    await subscribe(bot, GROUP)
    report = await push_once(bot.app.bot, bot.store)  # the seeds were indexed before
    assert (report.queued, report.sent) == (0, 0)
    assert pushes(bot.fake, GROUP) == []


async def test_an_oblast_subscription_receives_its_places(bot):
    await subscribe(bot, GROUP, "Kharkiv oblast")
    await subscribe(bot, OTHER, "Kyiv oblast")
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store)
    assert len(pushes(bot.fake, GROUP)) == 1
    assert pushes(bot.fake, OTHER) == []


class WallClock:
    """Unix seconds that a test moves on by hand: the ledger's times for edit or reply."""

    def __init__(self) -> None:
        self.now = 1_650_000_000.0

    def __call__(self) -> float:
        return self.now


def edits(fake: BotApiFake, chat_id: int) -> list[dict]:
    """Accepted editMessageText payloads in a chat."""
    return [
        call.payload
        for call, result in zip(fake.calls, fake._results, strict=True)
        if call.method == "editMessageText"
        and result is not None
        and call.payload.get("chat_id") == chat_id
    ]


async def first_push(bot: Running, clock: WallClock) -> dict:
    """Kharkiv's school strike pushed to GROUP; returns the message the group has."""
    await subscribe(bot, GROUP)
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store, clock=clock)
    return await bot.fake.wait_for_message_async(GROUP, lambda m: EVENT_LINE.search(m["text"]))


async def test_new_figures_edit_the_first_message_in_place(bot, caplog):
    clock = WallClock()
    first = await first_push(bot, clock)
    clock.now += 600
    bot.index("strike.txt", STRIKE_WITH_FIGURES)  # the same report, now with a death toll
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert (report.sent, report.edited) == (0, 1)
    assert len(pushes(bot.fake, GROUP)) == 1
    [edit] = edits(bot.fake, GROUP)
    assert edit["message_id"] == first["message_id"]
    [shown] = [m for m in bot.fake.bot_messages(GROUP) if m["message_id"] == first["message_id"]]
    assert "4 killed" in shown["text"] and "edit_date" in shown
    assert (await push_once(bot.app.bot, bot.store, clock=clock)).edited == 0
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


async def test_a_second_source_is_an_edit_too(bot):
    clock = WallClock()
    await first_push(bot, clock)
    clock.now += 2 * 3600  # past the hour: still an edit, the toll did not move
    bot.index("strike-2.txt", STRIKE.replace("regional governor", "mayor"))
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert (report.sent, report.edited) == (0, 1)
    [edit] = edits(bot.fake, GROUP)
    assert "Sources (2)" in parse_telegram_html(edit["text"])


async def test_a_toll_that_jumps_after_an_hour_is_a_reply_to_the_first_message(bot, caplog):
    clock = WallClock()
    first = await first_push(bot, clock)
    clock.now += 2 * 3600
    bot.index("strike.txt", STRIKE_WITH_FIGURES)  # none killed, then 4: news
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert (report.sent, report.replied, report.edited) == (1, 1, 0)
    _, update = pushes(bot.fake, GROUP)
    text = parse_telegram_html(update["text"])
    assert text.startswith("Update") and "4 killed" in text
    assert update["reply_parameters"]["message_id"] == first["message_id"]
    # The next revision within the hour goes into the reply, the newest message about it.
    clock.now += 600
    bot.index("strike-2.txt", STRIKE_WITH_FIGURES.replace("regional governor", "mayor"))
    assert (await push_once(bot.app.bot, bot.store, clock=clock)).edited == 1
    reply = [m for m in bot.fake.bot_messages(GROUP) if m.get("reply_to_message")][-1]
    [edit] = edits(bot.fake, GROUP)
    assert edit["message_id"] == reply["message_id"]
    assert "Sources (2)" in reply["text"]
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


async def test_a_toll_that_jumps_within_the_hour_is_an_edit(bot):
    clock = WallClock()
    await first_push(bot, clock)
    clock.now += 3599
    bot.index("strike.txt", STRIKE_WITH_FIGURES)
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert (report.sent, report.edited) == (0, 1)


async def test_a_day_after_the_first_message_a_new_source_is_a_reply(bot):
    clock = WallClock()
    first = await first_push(bot, clock)
    clock.now += 25 * 3600
    bot.index("strike-2.txt", STRIKE.replace("regional governor", "mayor"))
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert (report.sent, report.replied) == (1, 1)
    assert pushes(bot.fake, GROUP)[1]["reply_parameters"]["message_id"] == first["message_id"]


async def test_an_edit_of_a_deleted_message_sends_the_event_afresh(bot, caplog):
    clock = WallClock()
    first = await first_push(bot, clock)
    await bot.app.bot.delete_message(GROUP, first["message_id"])  # an admin removed it
    clock.now += 600
    bot.index("strike.txt", STRIKE_WITH_FIGURES)
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert (report.sent, report.edited, report.failed) == (1, 0, 0)
    [again] = [m for m in bot.fake.bot_messages(GROUP) if EVENT_LINE.search(m["text"])]
    assert "4 killed" in again["text"]
    assert [f.description for f in bot.fake.failures] == ["Bad Request: message to edit not found"]
    assert_clean_logs(caplog)


async def test_an_edit_telegram_calls_not_modified_counts_as_done(bot, caplog):
    clock = WallClock()
    await first_push(bot, clock)
    bot.fake.inject("editMessageText", 400, "Bad Request: message is not modified")
    bot.index("strike.txt", STRIKE_WITH_FIGURES)
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert (report.sent, report.edited, report.failed) == (0, 1, 0)
    assert (await push_once(bot.app.bot, bot.store, clock=clock)).edited == 0
    statuses = bot.store.db.execute("select status from deliveries").fetchall()
    assert statuses == [("sent",)]
    assert_clean_logs(caplog)


async def test_an_edit_refused_with_403_unsubscribes_the_chat(bot, caplog):
    clock = WallClock()
    await first_push(bot, clock)
    bot.fake.inject("editMessageText", 403, times=None)
    bot.index("strike.txt", STRIKE_WITH_FIGURES)
    report = await push_once(bot.app.bot, bot.store, clock=clock)
    assert report.deactivated == 1
    assert Subscriptions(bot.store).chat(GROUP)["active"] == 0
    assert_clean_logs(caplog)


async def test_an_edit_told_to_wait_backs_off_and_is_made_later(bot, caplog):
    clock = WallClock()
    await first_push(bot, clock)
    backoff = ChatBackoff(clock=FakeClock())
    bot.fake.inject("editMessageText", 429, retry_after=30, times=None)
    bot.index("strike.txt", STRIKE_WITH_FIGURES)
    plain = Bot(bot.fake.token, base_url=bot.fake.base_url)  # no limiter: the 429 reaches us
    async with plain:
        report = await push_once(plain, bot.store, backoff=backoff, clock=clock)
        assert report.deferred and report.edited == 0
        assert backoff.waiting() == [GROUP]
        bot.fake.clear_injections()
        backoff.clock.now += 30  # type: ignore[attr-defined]
        assert (await push_once(plain, bot.store, backoff=backoff, clock=clock)).edited == 1
    assert len(pushes(bot.fake, GROUP)) == 1
    assert_clean_logs(caplog)


async def test_a_topic_subscription_delivers_into_the_topic(bot, caplog):
    answer = await subscribe(bot, FORUM, message_thread_id=5)
    assert answer.startswith("Subscribed to Kharkiv.")
    assert bot.fake.sent(FORUM)[0]["message_thread_id"] == 5  # the confirmation, in the topic
    [sub] = Subscriptions(bot.store).of_chat(FORUM)
    assert sub.thread_id == 5
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store)
    [message] = pushes(bot.fake, FORUM)
    assert message["message_thread_id"] == 5
    assert "(topic 5)" in await bot.command("/subscriptions", FORUM, chat_type="supergroup")
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


async def test_quiet_deliveries_make_no_sound(bot, caplog):
    await subscribe(bot, GROUP)
    assert await bot.command("/quiet on", GROUP) == "Quiet delivery is on."
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store)
    [message] = pushes(bot.fake, GROUP)
    assert message["disable_notification"] is True

    assert await bot.command("/quiet off", GROUP) == "Quiet delivery is off."
    bot.index("power.txt", POWER_PLANT)
    await push_once(bot.app.bot, bot.store)
    assert not pushes(bot.fake, GROUP)[1].get("disable_notification")
    assert await bot.command("/quiet loud", GROUP) == "Usage: /quiet on or /quiet off"
    assert_clean_logs(caplog)


async def test_subscriptions_lists_what_the_chat_receives(bot):
    assert "No subscriptions here" in await bot.command("/subscriptions", GROUP)
    await subscribe(bot, GROUP)
    await subscribe(bot, GROUP, "all shelling +hospital -sanctions")
    answer = await subscribe(bot, GROUP, "Kramatorsk min 2 sources")
    assert answer.startswith("Subscribed to Kramatorsk, min 2 sources.")
    await bot.command("/digest 08:00", GROUP)
    listing = await bot.command("/subscriptions", GROUP, MEMBER)  # anyone may look
    assert listing.splitlines() == [
        "Subscriptions",
        "• Kharkiv",
        "• all Shelling +hospital -sanctions",
        "• Kramatorsk, min 2 sources",
        "Sound: on",
        "Digest: daily at 08:00 Europe/Kyiv, besides instant updates",
    ]


async def test_unsubscribe_removes_one_or_all(bot, caplog):
    await subscribe(bot, GROUP)
    await subscribe(bot, GROUP, "Kyiv")
    assert await bot.command("/unsubscribe kharkiv", GROUP) == "Unsubscribed (1)."
    assert [s.label for s in Subscriptions(bot.store).of_chat(GROUP)] == ["Kyiv"]
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store)
    assert pushes(bot.fake, GROUP) == []
    assert await bot.command("/unsubscribe", GROUP) == "Unsubscribed (1)."
    assert "Nothing to unsubscribe" in await bot.command("/unsubscribe", GROUP)
    assert Subscriptions(bot.store).of_chat(GROUP) == []
    assert_clean_logs(caplog)


async def test_unsubscribe_accepts_any_spelling_of_the_place(bot):
    await subscribe(bot, GROUP, "Харків")  # stored as Kharkiv
    assert await bot.command("/unsubscribe Харків", GROUP) == "Unsubscribed (1)."
    assert Subscriptions(bot.store).of_chat(GROUP) == []


async def test_keyword_filters_include_and_exclude_events(bot, caplog):
    await subscribe(bot, GROUP, "all +school")
    await subscribe(bot, OTHER, "Kharkiv -school")
    bot.index("strike.txt", STRIKE)
    bot.index("power.txt", POWER_PLANT)
    await push_once(bot.app.bot, bot.store)
    [school] = pushes(bot.fake, GROUP)
    assert "school" in school["text"]
    [power] = pushes(bot.fake, OTHER)
    assert "power plant" in power["text"] and "school" not in power["text"]
    assert_clean_logs(caplog)


async def test_an_event_type_filter(bot):
    await subscribe(bot, GROUP, "Kharkiv drones")
    bot.index("strike.txt", STRIKE)
    bot.index("power.txt", POWER_PLANT)
    await push_once(bot.app.bot, bot.store)
    [message] = pushes(bot.fake, GROUP)
    assert "power plant" in message["text"]


async def test_digest_times_are_validated(bot, caplog):
    bot.fake.set_member_status(GROUP, ADMIN, "administrator")
    answer = await bot.command("/digest 08:00", GROUP)
    assert answer == "Daily digest at 08:00 (Europe/Kyiv), besides instant updates."
    chat = Subscriptions(bot.store).chat(GROUP)
    assert (chat["digest_time"], chat["instant"]) == ("08:00", 1)
    assert await bot.command("/digest 25:00", GROUP) == (
        "'25:00' is not a time of day such as 08:00."
    )
    assert Subscriptions(bot.store).chat(GROUP)["digest_time"] == "08:00"
    assert (await bot.command("/digest", GROUP)).startswith("Usage: /digest HH:MM")
    assert await bot.command("/digest off", GROUP) == "Daily digest off; instant updates on."
    assert Subscriptions(bot.store).chat(GROUP)["digest_time"] is None
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


async def test_a_digest_only_chat_gets_no_instant_messages(bot):
    await subscribe(bot, GROUP)
    assert (await bot.command("/digest 8:30 only", GROUP)).endswith("instead of instant updates.")
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store)
    assert pushes(bot.fake, GROUP) == []
    events = Subscriptions(bot.store).digest_events(GROUP, 0)
    assert any("school" in e["summary"] for e in events)
    digest = render_digest(events, "2022-03-10")
    assert utf16_len(parse_telegram_html(digest)) <= 4096


# --- restarts and Telegram's refusals --------------------------------------------------------


class _SendStarted(logging.Handler):
    """Sets an event when PTB starts the HTTP call sending a message to one chat."""

    def __init__(self, chat_id: int) -> None:
        super().__init__(logging.DEBUG)
        self.chat_id = chat_id
        self.started = asyncio.Event()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Calling Bot API endpoint `sendMessage`" in message and (
            f"'chat_id': {self.chat_id}," in message
        ):
            self.count += 1
            self.started.set()


async def test_a_restart_in_the_middle_of_a_batch_loses_and_repeats_nothing(bot, db_file, caplog):
    chats = [GROUP, OTHER, THIRD]
    for chat in chats:
        await subscribe(bot, chat)
    bot.index("strike.txt", STRIKE)
    subs = Subscriptions(bot.store)
    subs.enqueue()
    order = [row["chat_id"] for row in subs.pending()]
    assert sorted(order) == sorted(chats)
    slow = order[1]
    # The first delivery is answered at once, the second one slowly.
    bot.fake.delay("sendMessage", 0)
    bot.fake.delay("sendMessage", 1.5)
    watcher = _SendStarted(slow)
    api_logger = logging.getLogger("telegram")
    level = api_logger.level
    api_logger.setLevel(logging.DEBUG)
    api_logger.addHandler(watcher)
    try:
        task = asyncio.create_task(push_once(bot.app.bot, bot.store))
        await asyncio.wait_for(watcher.started.wait(), 10)  # the second send is in flight
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

        # Restart: a new store connection, ledger and application on the same file.
        store = Store(db_file)
        app = await start_bot(store, bot.fake)
        try:
            await push_once(app.bot, store)
            # Let every send that was started reach the fake before counting.
            for _ in range(watcher.count):
                await bot.fake.wait_for_async("sendMessage", lambda p: p["chat_id"] == slow)
        finally:
            await stop_bot(app)
            store.close()
    finally:
        api_logger.removeHandler(watcher)
        api_logger.setLevel(level)
    counts = {chat: len(pushes(bot.fake, chat)) for chat in chats}
    assert counts == {chat: 1 for chat in chats}, f"messages per chat: {counts}"
    statuses = bot.store.db.execute("select chat_id, status from deliveries").fetchall()
    assert sorted(statuses) == sorted((chat, "sent") for chat in chats)


class _SendsStarted(logging.Handler):
    """Sets an event once PTB has started `wanted` HTTP calls sending messages."""

    def __init__(self, wanted: int) -> None:
        super().__init__(logging.DEBUG)
        self.wanted = wanted
        self.count = 0
        self.reached = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "Calling Bot API endpoint `sendMessage`" in record.getMessage():
            self.count += 1
            if self.count >= self.wanted:
                self.reached.set()


async def test_a_stop_in_a_large_fan_out_records_every_send_in_flight(bot, db_file):
    """A stop lets every send in flight finish and be recorded; none is sent twice."""
    chats = list(range(5001, 5001 + 6 * PARALLEL_SENDS))
    subs = Subscriptions(bot.store)
    for chat in chats:
        subs.add(chat, 0, "all", None, "all")
    bot.index("strike.txt", STRIKE)
    bot.fake.delay("sendMessage", 0.2, times=None)  # a slow server: sends stay in flight
    watcher = _SendsStarted(3 * PARALLEL_SENDS)
    api_logger = logging.getLogger("telegram")
    level = api_logger.level
    api_logger.setLevel(logging.DEBUG)
    api_logger.addHandler(watcher)
    plain = Bot(bot.fake.token, base_url=bot.fake.base_url)  # no rate limiter: a fast test
    try:
        async with plain:
            task = asyncio.create_task(push_once(plain, bot.store))
            await asyncio.wait_for(watcher.reached.wait(), 10)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            started = watcher.count
            bot.fake.clear_injections()
            # Restart: a new store connection on the same file carries on from the ledger.
            store = Store(db_file)
            try:
                report = await push_once(plain, store)
            finally:
                store.close()
    finally:
        api_logger.removeHandler(watcher)
        api_logger.setLevel(level)
    assert started < len(chats), "the stop came after every send had started"
    assert report.sent == len(chats) - started
    counts = {chat: len(pushes(bot.fake, chat)) for chat in chats}
    assert counts == {chat: 1 for chat in chats}, f"messages per chat: {counts}"
    statuses = bot.store.db.execute(
        "select status, count(*) from deliveries where chat_id >= 5001 group by status"
    ).fetchall()
    assert statuses == [("sent", len(chats))]


async def test_a_403_deactivates_that_chat_only(bot, caplog):
    for chat in (GROUP, OTHER):
        await subscribe(bot, chat)
    bot.fake.inject("sendMessage", 403, chat_id=GROUP, times=None)
    bot.index("strike.txt", STRIKE)
    report = await push_once(bot.app.bot, bot.store)
    assert (report.sent, report.deactivated) == (1, 1)
    assert len(pushes(bot.fake, OTHER)) == 1
    assert Subscriptions(bot.store).chat(GROUP)["active"] == 0
    tried = len(attempts(bot.fake, GROUP))

    bot.index("power.txt", POWER_PLANT)
    await push_once(bot.app.bot, bot.store)
    assert len(attempts(bot.fake, GROUP)) == tried, "sent again to a chat that blocked the bot"
    assert len(pushes(bot.fake, OTHER)) == 2
    assert_clean_logs(caplog)


async def test_being_kicked_deactivates_the_chat(bot, caplog):
    for chat in (GROUP, OTHER):
        await subscribe(bot, chat)
    bot.fake.my_chat_member(GROUP, "kicked", old_status="member")
    await bot.processed()
    assert Subscriptions(bot.store).chat(GROUP)["active"] == 0
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store)
    assert attempts(bot.fake, GROUP) == []
    assert len(pushes(bot.fake, OTHER)) == 1
    # Added back by an admin who subscribes again: deliveries resume.
    bot.fake.my_chat_member(GROUP, "member", old_status="kicked")
    greeting = await bot.fake.wait_for_message_async(GROUP, lambda m: "/subscribe" in m["text"])
    assert greeting["text"].startswith("Hello!")
    assert (await subscribe(bot, GROUP)).startswith(("Subscribed", "Already subscribed"))
    bot.index("power.txt", POWER_PLANT)
    await push_once(bot.app.bot, bot.store)
    assert len(pushes(bot.fake, GROUP)) == 1
    assert_clean_logs(caplog)


async def test_a_server_error_defers_the_batch_and_the_next_push_delivers_it(bot, caplog):
    for chat in (GROUP, OTHER):
        await subscribe(bot, chat)
    bot.fake.inject("sendMessage", 500)
    bot.index("strike.txt", STRIKE)
    first = await push_once(bot.app.bot, bot.store)
    # Sends run side by side: the chat whose send failed waits, the other may already have it.
    assert first.deferred and first.sent < 2
    second = await push_once(bot.app.bot, bot.store)
    assert first.sent + second.sent == 2
    assert [len(pushes(bot.fake, chat)) for chat in (GROUP, OTHER)] == [1, 1]
    assert (await push_once(bot.app.bot, bot.store)).sent == 0
    assert_clean_logs(caplog)


async def test_a_chat_that_no_longer_exists_is_deactivated(bot, caplog):
    for chat in (GROUP, OTHER):
        await subscribe(bot, chat)
    bot.fake.inject("sendMessage", 400, "Bad Request: chat not found", chat_id=GROUP)
    bot.index("strike.txt", STRIKE)
    report = await push_once(bot.app.bot, bot.store)
    assert (report.sent, report.deactivated) == (1, 1)
    assert Subscriptions(bot.store).chat(GROUP)["active"] == 0
    assert_clean_logs(caplog)


async def test_a_429_is_retried_and_delivered_once(bot, caplog):
    await subscribe(bot, GROUP)
    bot.fake.inject("sendMessage", 429, retry_after=1, chat_id=GROUP)
    bot.index("strike.txt", STRIKE)
    report = await push_once(bot.app.bot, bot.store)
    assert report.sent == 1
    assert len(pushes(bot.fake, GROUP)) == 1
    assert [(f.method, f.error_code) for f in bot.fake.failures] == [("sendMessage", 429)]
    assert (await push_once(bot.app.bot, bot.store)).sent == 0
    assert_clean_logs(caplog)


async def test_a_migrated_group_keeps_its_subscriptions(bot, caplog):
    supergroup = -1000000000200
    await subscribe(bot, GROUP)
    await bot.command("/quiet on", GROUP)
    bot.fake.migrate(GROUP, supergroup)
    await bot.processed()
    subs = Subscriptions(bot.store)
    assert [s.label for s in subs.of_chat(supergroup)] == ["Kharkiv"]
    assert subs.of_chat(GROUP) == []
    assert subs.chat(supergroup)["quiet"] == 1
    bot.index("strike.txt", STRIKE)
    await push_once(bot.app.bot, bot.store)
    [message] = pushes(bot.fake, supergroup)
    assert message["disable_notification"] is True
    assert attempts(bot.fake, GROUP) == []
    assert_clean_logs(caplog)


async def test_a_push_to_a_group_that_migrated_unseen_follows_it(bot, caplog):
    """The service message was missed (bot offline): Telegram answers the send with
    migrate_to_chat_id, which PTB raises as ChatMigrated."""
    supergroup = -1000000000200
    await subscribe(bot, GROUP)
    await subscribe(bot, OTHER)
    await bot.app.updater.stop()  # the bot does not see the migration's service messages
    bot.fake.migrate(GROUP, supergroup)
    bot.index("strike.txt", STRIKE)
    report = await push_once(bot.app.bot, bot.store)  # must not raise
    assert len(pushes(bot.fake, OTHER)) == 1
    assert len(pushes(bot.fake, supergroup)) == 1, report
    assert_clean_logs(caplog)


async def test_a_daily_digest_lists_the_new_events_once_and_replaces_instant_updates(bot, caplog):
    await subscribe(bot, GROUP)
    # "only": the digest instead of instant updates; 00:00 Kyiv time has always passed today.
    await bot.command("/digest 00:00 only", GROUP, ADMIN, chat_type="group")
    bot.index("strike.txt", STRIKE)
    assert (await push_once(bot.app.bot, bot.store)).sent == 0
    context = SimpleNamespace(application=bot.app, bot=bot.app.bot)
    await digest_job(context)
    digests = [p for p in bot.fake.sent(GROUP) if p["text"].startswith("<b>Daily digest,")]
    assert len(digests) == 1
    assert "Kharkiv" in digests[0]["text"] and "/event " in digests[0]["text"]
    await digest_job(context)  # the same day: nothing more
    assert len([p for p in bot.fake.sent(GROUP) if p["text"].startswith("<b>Daily digest,")]) == 1
    assert_clean_logs(caplog)


ODESA_SCHOOL = (
    "date 2022-03-10\n"
    "A Russian missile strike hit a school in Odesa on Thursday, the regional governor said.\n"
)


async def test_a_corrected_story_is_pushed_as_a_correction_to_the_chats_that_had_it(bot, caplog):
    await subscribe(bot, GROUP, "all")
    await subscribe(bot, OTHER, "Odesa")
    bot.index("school.txt", ODESA_SCHOOL)
    await push_once(bot.app.bot, bot.store)
    event_link = re.compile(r"/e(?:vent )?(\d+)")
    is_event = lambda m: event_link.search(m["text"]) is not None  # noqa: E731
    first = await bot.fake.wait_for_message_async(GROUP, is_event)
    other_first = await bot.fake.wait_for_message_async(OTHER, is_event)
    [payload] = pushes(bot.fake, GROUP)
    old_id = int(event_link.findall(payload["text"])[-1])

    bot.index("school.txt", STRIKE)  # the same report, corrected: it was Kharkiv
    report = await push_once(bot.app.bot, bot.store)
    assert report.sent == 2
    _, correction = pushes(bot.fake, GROUP)
    text = parse_telegram_html(correction["text"])
    assert text.startswith(f"Correction (replaces event {old_id}, withdrawn)")
    assert "school in Kharkiv" in text
    assert first["message_id"] == correction["reply_parameters"]["message_id"]
    # The Odesa-only chat is not subscribed to Kharkiv, but it was told the wrong story.
    _, other_correction = pushes(bot.fake, OTHER)
    assert parse_telegram_html(other_correction["text"]).startswith("Correction")
    assert other_first["message_id"] == other_correction["reply_parameters"]["message_id"]
    assert bot.store.event(old_id) is None
    assert (await push_once(bot.app.bot, bot.store)).sent == 0
    assert bot.fake.rejections == []
    assert_clean_logs(caplog)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_failing_chat_backs_off_alone_while_the_others_get_their_messages(bot, caplog):
    broken, others = 4999, [5000 + n for n in range(30)]  # private chats: no group rate limit
    subs = Subscriptions(bot.store)
    for chat in [broken, *others]:
        subs.add(chat, 0, "all", None, "all")
    bot.fake.inject("sendMessage", 500, chat_id=broken, times=None)
    bot.index("strike.txt", STRIKE)
    clock = FakeClock()
    backoff = ChatBackoff(clock=clock)
    first = await push_once(bot.app.bot, bot.store, backoff=backoff)
    assert (30, True) == (first.sent, first.deferred)
    assert [1] * 30 == [len(pushes(bot.fake, chat)) for chat in others]
    assert 1 == len(attempts(bot.fake, broken))
    # While it waits, pushes leave it alone; then it is tried again on its own schedule.
    assert 0 == (await push_once(bot.app.bot, bot.store, backoff=backoff)).sent
    assert 1 == len(attempts(bot.fake, broken))
    clock.now += 10
    bot.fake.clear_injections()
    assert 1 == (await push_once(bot.app.bot, bot.store, backoff=backoff)).sent
    assert 1 == len(pushes(bot.fake, broken))
    assert_clean_logs(caplog)


async def test_telegram_down_for_everyone_pauses_the_push_instead_of_trying_every_chat(bot):
    chats = [6000 + n for n in range(3 * OUTAGE)]
    subs = Subscriptions(bot.store)
    for chat in chats:
        subs.add(chat, 0, "all", None, "all")
    bot.fake.inject("sendMessage", 502, times=None)
    bot.index("strike.txt", STRIKE)
    report = await push_once(bot.app.bot, bot.store)
    assert report.deferred and report.sent == 0
    tried = sum(len(attempts(bot.fake, chat)) for chat in chats)
    assert OUTAGE <= tried < OUTAGE + PARALLEL_SENDS
