"""Push without flooding: when a revision is an edit and when a reply, and a story told by
many outlets over two days replayed one article at a time against a group, over real HTTP
through the Bot API fake with Telegram's limits enforced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.args import parse_subscription
from bot.push import REPLY_AFTER, REPLY_GAP, next_step, push_once, toll_jumped
from bot.telegram import build_application
from store.indexer import index_articles
from store.ingest import iter_articles
from store.subscriptions import Subscriptions

try:
    from tests.botapi_fake import BotApiFake, parse_telegram_html
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, parse_telegram_html  # type: ignore[no-redef]

REPLAY = Path(__file__).resolve().parent / "data" / "replay_kramatorsk"
GROUP = -400


@pytest.mark.parametrize(
    ("before", "after", "jumped"),
    [
        (0, 0, False),
        (57, 59, False),  # creeping: the same story
        (1, 2, False),  # doubles, but by one person
        (0, 2, False),
        (0, 3, True),  # the first casualties
        (3, 6, True),
        (30, 39, False),
        (30, 40, True),  # ten more
        (130, 139, False),
        (130, 166, True),
        (50, 40, False),  # a lower figure is a correction in place, not an alarm
    ],
)
def test_a_reply_needs_a_toll_that_rises_by_ten_or_doubles_by_three(before, after, jumped):
    assert jumped == toll_jumped(before, after)


def _row(**values):
    row = {
        "sent_revision": 1,
        "message_id": 10,
        "last_message_id": 10,
        "sent_at": 1000.0,
        "replied_at": None,
        "notified_toll": 30,
    }
    return {**row, **values}


@pytest.mark.parametrize(
    ("row", "toll", "now", "step"),
    [
        (_row(sent_revision=0, message_id=None, last_message_id=None), 0, 1000.0, "send"),
        (_row(), 30, 1000.0 + 60, "edit"),
        (_row(), 130, 1000.0 + REPLY_GAP - 1, "edit"),  # a jump, but within the hour
        (_row(), 130, 1000.0 + REPLY_GAP, "reply"),
        (_row(), 35, 1000.0 + REPLY_GAP, "edit"),
        (_row(), 30, 1000.0 + REPLY_AFTER + 1, "reply"),  # a day later, any change
        # The hour counts from the last reply, not the first message.
        (_row(replied_at=1000.0 + REPLY_AFTER), 200, 1000.0 + REPLY_AFTER + 60, "edit"),
        # A row sent before the ledger kept times: as old as can be.
        (_row(sent_at=None, last_message_id=None, notified_toll=None), 0, 1.65e9, "reply"),
    ],
)
def test_next_step_edits_unless_the_toll_jumped_or_a_day_passed_and_never_twice_an_hour(
    row, toll, now, step
):
    assert step == next_step(row, toll, now)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("step_seconds", [60, 2 * 3600], ids=["a-minute-apart", "over-two-days"])
async def test_a_story_replayed_article_by_article_is_a_few_messages_and_the_rest_edits(
    store, step_seconds
):
    """Twelve articles of our own: the Kramatorsk station strike of 8 April told by seven
    outlets over two days with a toll rising from 30 to 57, and a school hit the same day."""
    subs = Subscriptions(store)
    request = parse_subscription("Kramatorsk", store.gazetteer())
    subs.add(GROUP, 0, request.scope, request.place_id, request.label)
    articles = sorted(iter_articles([REPLAY]), key=lambda a: a.id)
    assert len(articles) >= 10
    clock = Clock(datetime(2022, 4, 8, 7, 0, tzinfo=UTC))
    with BotApiFake(enforce_limits=True) as fake:
        app = build_application(store, fake.token, base_url=fake.base_url, push_interval=None)
        await app.initialize()
        try:
            for article in articles:
                index_articles(store, [article])
                await push_once(app.bot, store, clock=clock)
                clock.now += step_seconds
        finally:
            await app.shutdown()
        accepted = [
            call
            for call, result in zip(fake.calls, fake._results, strict=True)
            if result is not None and call.payload.get("chat_id") == GROUP
        ]
        sends = [c for c in accepted if c.method == "sendMessage"]
        edits = [c for c in accepted if c.method == "editMessageText"]
        assert (fake.too_many_requests, fake.rejections, fake.failures) == (0, [], [])
        assert {c.method for c in accepted} == {"sendMessage", "editMessageText"}
        assert 2 <= len(sends) <= 6, [parse_telegram_html(c.payload["text"]) for c in sends]
        assert len(edits) >= 4
        messages = fake.bot_messages(GROUP)
    texts = [m["text"] for m in messages]
    # The station and the school are each one message the group can see grow.
    assert any("school" in text for text in texts)
    station = [text for text in texts if "railway station" in text]
    assert station and "57 killed" in station[-1], station[-1]
    if step_seconds == 60:  # all within the hour: one message an event, however it grew
        assert len(sends) == len(store.db.execute("select id from events").fetchall())
