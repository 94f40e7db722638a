"""Many writers on one SQLite file, as real processes: two `sitrep index`, a `sitrep watch` and
a bot pushing to the Bot API fake, all at once. Nobody fails, every article is indexed once.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.db import Store
from store.extract.rules import MIN_CONFIDENCE
from store.subscriptions import Subscriptions

try:
    from tests.botapi_fake import BotApiFake
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
CHAT = 300  # a private chat: PTB holds a group to 20 messages a minute
N_ARTICLES = 200


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITREP_DB", "TELEGRAM_BOT_TOKEN")}
    clean.pop("SITREP_BOT_API_URL", None)
    clean["PYTHONPATH"] = str(ROOT)
    return clean


def sitrep(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--db", str(db), *args],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition, timeout: float, what: str, state=lambda: "") -> None:
    """Poll `condition` until it holds or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}: {state()}")
        time.sleep(0.05)


def counts(path: Path, since_seq: int) -> dict[str, int]:
    store = Store(path)
    try:
        one = store.db.execute
        return {
            "articles": one("select count(*) from articles").fetchone()[0],
            "pending": one("select count(*) from deliveries where status = 'pending'").fetchone()[
                0
            ],
            "sent": one(
                "select count(*) from deliveries where chat_id = ? and status = 'sent'", [CHAT]
            ).fetchone()[0],
            "shown_since": one(
                "select count(*) from events where confidence >= ? and changed_seq > ?",
                [MIN_CONFIDENCE, since_seq],
            ).fetchone()[0],
        }
    finally:
        store.close()


def stop(process: subprocess.Popen, timeout: float = 30) -> tuple[str, str]:
    """SIGTERM, then the outputs; a process that does not stop in time is killed and fails."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"did not stop within {timeout} s after SIGTERM:\n{err[-3000:]}")


def all_pushed(c: dict[str, int]) -> bool:
    return c["pending"] == 0 and c["sent"] >= c["shown_since"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, "bench/corpus.py", str(folder), "-n", str(N_ARTICLES), "--seed", "3"],
        cwd=ROOT,
        env=env(),
        check=True,
        capture_output=True,
    )
    return folder


def test_two_indexers_a_watcher_and_a_pushing_bot_share_one_file(seeded_db, tmp_path, corpus):
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    store = Store(path)
    Subscriptions(store).add(CHAT, 0, "all", None, "all")
    since = int(store.meta("push_seq") or 0)
    store.close()
    with BotApiFake() as fake:
        bot = sitrep(
            path,
            "run",
            "--token",
            fake.token,
            "--bot-api-url",
            fake.base_url,
            "--push-interval",
            "0.2",
        )
        try:
            fake.wait_for("setMyCommands", timeout=60)
            writers = [
                sitrep(path, "index", str(corpus)),
                sitrep(path, "index", str(corpus)),
                sitrep(path, "watch", "--folder", str(corpus), "--once"),
            ]
            outputs = [w.communicate(timeout=600) for w in writers]
            wait_until(
                lambda: (
                    (c := counts(path, since))["pending"] == 0 and c["sent"] >= c["shown_since"]
                ),
                120,
                "the bot to push every new event",
                lambda: (counts(path, since), outputs),
            )
        finally:
            bot_out, bot_err = stop(bot)
        for writer, (_, err) in zip(writers, outputs, strict=True):
            assert 0 == writer.returncode, err
            assert "Traceback" not in err and "locked" not in err, err
        new = [int(re.search(r"articles: (\d+) new", out).group(1)) for out, _ in outputs]
        changed = [int(re.search(r"(\d+) changed", out).group(1)) for out, _ in outputs]
        assert (N_ARTICLES, 0) == (sum(new), sum(changed)), [out for out, _ in outputs]
        final = counts(path, since)
        assert 4 + N_ARTICLES == final["articles"]
        assert 0 == bot.returncode, bot_err
        assert "Traceback" not in bot_err and "ERROR" not in bot_err, bot_err
        firsts = [p for p in fake.sent(CHAT) if not p["text"].startswith("<b>Update</b>")]
        assert final["sent"] == len(firsts)  # each event's first message sent once
        assert ([], []) == (fake.rejections, fake.errors)


def test_ctrl_c_during_an_index_run_prints_the_partial_report_and_no_traceback(
    seeded_db, tmp_path, corpus
):
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    indexer = sitrep(path, "index", str(corpus))
    wait_until(lambda: counts(path, 0)["articles"] > 30, 120, "some articles indexed")
    indexer.send_signal(signal.SIGINT)
    out, err = indexer.communicate(timeout=60)
    assert 130 == indexer.returncode, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted" in err
    new = int(re.search(r"articles: (\d+) new", out).group(1))
    stored = counts(path, 0)["articles"] - 4
    assert new <= stored <= new + 1  # at most the article whose commit the signal followed
    assert 0 < new < N_ARTICLES


def test_kill_9_during_index_and_during_watch_loses_nothing(seeded_db, tmp_path, corpus):
    path, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    shutil.copy(seeded_db, path)
    shutil.copy(seeded_db, clean)
    for args, past in ((["index", str(corpus)], 40), (["watch", "--folder", str(corpus)], 100)):
        process = sitrep(path, *args)
        wait_until(lambda p=past: counts(path, 0)["articles"] > 4 + p, 120, "articles indexed")
        process.kill()
        process.communicate()
    store = Store(path)
    assert "ok" == store.db.execute("pragma integrity_check").fetchone()[0]
    store.close()
    for db in (path, clean):
        rerun = sitrep(db, "index", str(corpus))
        _, err = rerun.communicate(timeout=300)
        assert 0 == rerun.returncode, err
    assert 4 + N_ARTICLES == counts(path, 0)["articles"]
    exports = [sitrep(db, "export").communicate(timeout=120)[0] for db in (path, clean)]
    assert exports[0] == exports[1]  # byte for byte what an uninterrupted run gives
