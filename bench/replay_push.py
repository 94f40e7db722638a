"""The real news of some days replayed one article at a time against a subscribed group.

A fresh database (the gazetteer only), one group chat subscribed to a place (Kramatorsk by
default) through `parse_subscription`, as /subscribe reads it; then each RUWA item of the days
(bench/judge_sample.py's reader, in file order) is indexed on its own and push_once runs after
it, through the bot's own Bot (PTB's rate limiter, as the bot runs) against the Bot API fake
over HTTP with Telegram's limits enforced. Prints what the group received: messages sent (of
them replies to an earlier message), edits, 429s, and the first line of each message sent.

The push decides edit or reply by the time (bot/push.py: no reply within an hour of the last
message about an event). `--clock real` replays at the speed it runs (every article within a
few minutes, so every change is an edit); `--clock spread` sets the push's clock to the
articles' days, each day's items spread evenly from 06:00 to 22:00 UTC (RUWA gives no time).

    PYTHONPATH=. python bench/replay_push.py                    # 8-9 April 2022, Kramatorsk
    PYTHONPATH=. python bench/replay_push.py --clock spread --place "Kramatorsk"

Target (issue 13): at most 6 messages sent, the rest edits, no 429.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from bench.judge_sample import ruwa_articles
from bot.args import parse_subscription
from bot.push import push_once
from bot.telegram import build_application
from store.db import Store
from store.indexer import index_articles
from store.models import Article
from store.subscriptions import Subscriptions
from tests.botapi_fake import BotApiFake, parse_telegram_html

RUWA = Path(__file__).resolve().parents[2] / "shared/data/ruwa_news_en_2022-02-24_2022-04-30.csv"
GROUP = -300
TARGET_SENT = 6


def subscribe(store: Store, argument: str) -> None:
    """The group's /subscribe, as the command parses it (thresholds too, where supported)."""
    request = parse_subscription(argument, store.gazetteer())
    fields = {
        name: getattr(request, name)
        for name in ("scope", "place_id", "label", "event_type", "include", "exclude")
    }
    threshold = getattr(request, "threshold", None)
    if threshold is not None:
        fields["threshold"] = threshold
    Subscriptions(store).add(GROUP, 0, **fields)


def spread_times(articles: list[Article]) -> list[float]:
    """Unix seconds for each article: its day's items evenly from 06:00 to 22:00 UTC."""
    by_day: dict[date, list[int]] = {}
    for index, article in enumerate(articles):
        by_day.setdefault(article.published or date.min, []).append(index)
    times = [0.0] * len(articles)
    for day, indexes in by_day.items():
        start = datetime(day.year, day.month, day.day, 6, tzinfo=UTC).timestamp()
        for n, index in enumerate(indexes):
            times[index] = start + n * 16 * 3600 / len(indexes)
    return times


async def replay(
    db_path: Path, ruwa: Path, days: set[str], argument: str, spread: bool
) -> tuple[Counter[str], list[str]]:
    store = Store(db_path)
    store.gazetteer()
    subscribe(store, argument)
    articles = [a for a in ruwa_articles(ruwa) if a.published and a.published.isoformat() in days]
    fake = BotApiFake(enforce_limits=True)
    app = build_application(store, fake.token, base_url=fake.base_url, push_interval=None)
    figures: Counter[str] = Counter(articles=len(articles))
    firsts: list[str] = []
    times = spread_times(articles) if spread else None
    started = time.monotonic()
    try:
        await app.initialize()
        for index, article in enumerate(articles):
            index_articles(store, [article])
            clock = (lambda at=times[index]: at) if times else time.time
            report = await push_once(app.bot, store, clock=clock)
            figures["deferred pushes"] += report.deferred
        for call, result in zip(fake.calls, fake._results, strict=True):
            if call.payload.get("chat_id") != GROUP or result is None:
                continue
            if call.method == "sendMessage":
                figures["sent"] += 1
                figures["of them replies"] += "reply_parameters" in call.payload
                updates = call.payload["text"].startswith("<b>Update</b>")
                figures["of them 'Update' messages"] += updates
                lines = parse_telegram_html(call.payload["text"]).splitlines()
                firsts.append(" | ".join(lines[int(updates) : int(updates) + 2]))
            elif call.method == "editMessageText":
                figures["edits"] += 1
        figures["429"] = fake.too_many_requests
        figures["refused by the fake"] = len(fake.rejections)
        figures["events"] = store.db.execute("select count(*) from events").fetchone()[0]
    finally:
        await app.shutdown()
        fake.close()
        store.close()
    figures["seconds"] = round(time.monotonic() - started)
    return figures, firsts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ruwa", type=Path, default=RUWA)
    parser.add_argument("--days", nargs="+", default=["2022-04-08", "2022-04-09"])
    parser.add_argument("--place", default="Kramatorsk", help="the /subscribe argument")
    parser.add_argument("--clock", choices=("real", "spread"), default="real")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(
        f"# load average {os.getloadavg()[0]:.2f}; /subscribe {args.place}; clock {args.clock}",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "replay.db"
        spread = args.clock == "spread"
        figures, firsts = asyncio.run(replay(path, args.ruwa, set(args.days), args.place, spread))
    for name, value in figures.items():
        print(f"{name:>28}: {value}")
    for line in firsts:
        print(f"  sent: {line[:160]}")
    met = figures["sent"] <= TARGET_SENT and figures["429"] == 0
    print(f"{'target':>28}: <= {TARGET_SENT} sent, no 429: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
