"""Push within seconds: an event another connection or another process indexes reaches a
subscribed group through the Bot API fake in two seconds, long before the 30 s fallback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bot.args import parse_subscription
from bot.push import PushSchedule
from store.db import Store
from store.indexer import index_articles
from store.ingest import iter_articles
from store.subscriptions import Subscriptions

try:
    from tests.botapi_fake import BotApiFake
    from tests.running_bot import start_bot, stop_bot
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake  # type: ignore[no-redef]
    from running_bot import start_bot, stop_bot  # type: ignore[no-redef]

GROUP = -700
FALLBACK = 30.0  # the push interval: far longer than the wait below
WITHIN = 2.0
REPORT = (
    "date 2022-04-20\nRussian shelling hit a school in Poltava on Wednesday, killing three"
    " people, the regional governor said.\n"
)


def _article(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "poltava_school.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def _subscribe(store: Store) -> None:
    request = parse_subscription("all", store.gazetteer())
    Subscriptions(store).add(GROUP, 0, request.scope, request.place_id, request.label)


def _about_poltava(message: dict) -> bool:
    return "Poltava" in message["text"]


async def test_an_event_another_connection_commits_reaches_the_group_within_two_seconds(
    store, db_path, tmp_path
):
    _subscribe(store)
    indexer = Store(db_path)  # another connection to the file, as another process would be
    with BotApiFake() as fake:
        app = await start_bot(store, fake, push_interval=FALLBACK)
        try:
            index_articles(indexer, iter_articles([_article(tmp_path / "news")]))
            committed = time.monotonic()
            await fake.wait_for_message_async(GROUP, _about_poltava, timeout=WITHIN)
            assert time.monotonic() - committed <= WITHIN
        finally:
            await stop_bot(app)
            indexer.close()


async def test_an_event_sitrep_index_stores_in_another_process_reaches_the_group(
    store, db_path, tmp_path
):
    _subscribe(store)
    article = _article(tmp_path / "news")
    with BotApiFake() as fake:
        app = await start_bot(store, fake, push_interval=FALLBACK)
        try:
            run = subprocess.run(
                [sys.executable, "-m", "bot.cli", "--db", str(db_path), "index", str(article)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert run.returncode == 0, run.stderr
            # The commit came before the process ended: from its end, two seconds at most.
            ended = time.monotonic()
            await fake.wait_for_message_async(GROUP, _about_poltava, timeout=WITHIN)
            assert time.monotonic() - ended <= WITHIN
        finally:
            await stop_bot(app)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _commit(db_path: Path, key: str, value: str) -> None:
    other = Store(db_path)  # another connection: an indexer, or another bot on the file
    other.set_meta(key, value)
    other.close()


def test_the_schedule_pushes_on_an_indexers_commit_and_on_the_fallback_only(store, db_path):
    clock = Clock()
    schedule = PushSchedule(store, interval=FALLBACK, clock=clock)
    assert schedule.due()  # the first look pushes what queued while the bot was away
    assert not schedule.due()
    store.set_meta("push_seq", "7")  # the bot's own commits (its ledger) call for no push
    assert not schedule.due()
    _commit(db_path, "push_seq", "8")  # another bot's ledger: no article was indexed
    assert not schedule.due()
    _commit(db_path, "seq", "8")  # an indexer stored an article
    assert schedule.due()
    assert not schedule.due()
    clock.now += FALLBACK
    assert schedule.due()
    schedule.running = True  # a long fan-out is running: a look does not start another
    _commit(db_path, "seq", "9")
    assert not schedule.due()
    schedule.running = False
    assert schedule.due()
