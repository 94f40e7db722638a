"""The real news of some days replayed one article at a time against a subscribed group.

A fresh database (the gazetteer only), one group chat subscribed to a place (Kramatorsk by
default) through `parse_subscription`, as /subscribe reads it; then each RUWA item of the days
(bench/judge_sample.py's reader, in file order) is indexed on its own and push_once runs after
it, through the bot's own Bot (PTB's rate limiter, as the bot runs) against the Bot API fake
over HTTP with Telegram's limits enforced. Prints what the group received: messages sent (of
them replies to an earlier message), edits, and 429s.

    PYTHONPATH=. python bench/replay_push.py                    # 8-9 April 2022, Kramatorsk
    PYTHONPATH=. python bench/replay_push.py --days 2022-04-08 2022-04-09 --place Kramatorsk

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
from pathlib import Path

from bench.judge_sample import ruwa_articles
from bot.args import parse_subscription
from bot.push import push_once
from bot.telegram import build_application
from store.db import Store
from store.indexer import index_articles
from store.subscriptions import Subscriptions
from tests.botapi_fake import BotApiFake

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


async def replay(db_path: Path, ruwa: Path, days: set[str], argument: str) -> Counter[str]:
    store = Store(db_path)
    store.gazetteer()
    subscribe(store, argument)
    articles = [a for a in ruwa_articles(ruwa) if a.published and a.published.isoformat() in days]
    fake = BotApiFake(enforce_limits=True)
    app = build_application(store, fake.token, base_url=fake.base_url, push_interval=None)
    figures: Counter[str] = Counter(articles=len(articles))
    started = time.monotonic()
    try:
        await app.initialize()
        for article in articles:
            index_articles(store, [article])
            report = await push_once(app.bot, store)
            figures["deferred pushes"] += report.deferred
        for call, result in zip(fake.calls, fake._results, strict=True):
            if call.payload.get("chat_id") != GROUP or result is None:
                continue
            if call.method == "sendMessage":
                figures["sent"] += 1
                figures["of them replies"] += "reply_parameters" in call.payload
                updates = call.payload["text"].startswith("<b>Update</b>")
                figures["of them 'Update' messages"] += updates
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
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ruwa", type=Path, default=RUWA)
    parser.add_argument("--days", nargs="+", default=["2022-04-08", "2022-04-09"])
    parser.add_argument("--place", default="Kramatorsk", help="the /subscribe argument")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"# load average {os.getloadavg()[0]:.2f}; /subscribe {args.place}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(
            replay(Path(tmp) / "replay.db", args.ruwa, set(args.days), args.place)
        )
    for name, value in figures.items():
        print(f"{name:>28}: {value}")
    met = figures["sent"] <= TARGET_SENT and figures["429"] == 0
    print(f"{'target':>28}: <= {TARGET_SENT} sent, no 429: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
