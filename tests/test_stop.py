"""A stop in the middle of a large fan-out, as an operator's service manager does it: SIGTERM to
`sitrep run`. The sends in flight finish and are recorded, the process exits within seconds, and
the next start delivers the rest, each message once."""

from __future__ import annotations

import collections
import shutil
import time
from pathlib import Path

from store.db import Store
from store.indexer import index_articles
from store.ingest import iter_articles
from store.subscriptions import Subscriptions

try:
    from tests.botapi_fake import BotApiFake
    from tests.test_concurrency import sitrep, stop, wait_until
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake  # type: ignore[no-redef]
    from test_concurrency import sitrep, stop, wait_until  # type: ignore[no-redef]

CHATS = range(10_000, 12_000)  # 2,000 private chats
STRIKE = (
    "date 2022-03-10\n"
    "A Russian missile strike hit a school in Kharkiv on Thursday, the regional governor said.\n"
)


def ledger(path: Path) -> dict[str, int]:
    store = Store(path)
    try:
        rows = store.db.execute("select status, count(*) from deliveries group by status")
        return dict(rows.fetchall())
    finally:
        store.close()


def test_sigterm_with_2000_queued_sends_exits_fast_and_the_next_start_sends_the_rest_once(
    seeded_db, tmp_path
):
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    store = Store(path)
    subs = Subscriptions(store)
    with store.write():
        for chat in CHATS:
            subs.add(chat, 0, "all", None, "all")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "strike.txt").write_text(STRIKE, encoding="utf-8")
    assert index_articles(store, iter_articles([tmp_path / "news"])).events_added == 1
    store.close()

    def accepted() -> list[int]:
        return [p["chat_id"] for p in fake.sent() if p["chat_id"] in CHATS]

    with BotApiFake() as fake:
        args = ["run", "--token", fake.token, "--bot-api-url", fake.base_url]
        args += ["--push-interval", "0.5", "--max-send-rate", "200"]
        bot = sitrep(path, *args)
        try:
            wait_until(lambda: len(accepted()) >= 100, 60, "the first hundred sends")
        finally:
            asked = time.monotonic()
            _, err = stop(bot, timeout=30)
        took = time.monotonic() - asked
        assert 0 == bot.returncode, err
        assert "Traceback" not in err
        assert took < 5, f"{took:.1f} s to stop"
        first_run = len(accepted())
        assert {"sent": first_run, "pending": len(CHATS) - first_run} == ledger(path)

        again = sitrep(path, *args)
        try:
            wait_until(lambda: len(accepted()) >= len(CHATS), 60, "the rest of the queue")
            wait_until(lambda: ledger(path) == {"sent": len(CHATS)}, 30, "the ledger")
        finally:
            _, err = stop(again, timeout=30)
        assert "Traceback" not in err
        per_chat = collections.Counter(accepted())
        assert (set(CHATS), {1}) == (set(per_chat), set(per_chat.values()))
        assert ([], []) == (fake.rejections, fake.errors)
