"""`sitrep watch` as a real process against loopback servers that trickle, bomb and flood:
each fails alone within its deadline and caps, memory stays bounded, the good feed is read."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from store.db import Store

try:
    from tests.feed_server import RSS_FEED, FeedServer, Route
    from tests.hostile_server import bomb_route, huge_feed, trickle
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from feed_server import RSS_FEED, FeedServer, Route  # type: ignore[no-redef]
    from hostile_server import bomb_route, huge_feed, trickle  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
RSS = "application/rss+xml"
MAX_RSS_MB = 300


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITREP_DB", "TELEGRAM_BOT_TOKEN")}
    clean["PYTHONPATH"] = str(ROOT)
    return clean


def high_water_mb(pid: int) -> int:
    """The process's peak resident set so far (VmHWM), 0 once it is gone.

    Not getrusage: a child forked from this big pytest process starts its ru_maxrss at ours."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) // 1024 if found else 0


def run_measured(args: list[str], tmp_path: Path, timeout: float) -> tuple[int, str, str, int]:
    """Run a command; its exit status, output, error output and peak RSS in MB (polled)."""
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(args, env=env(), stdout=stdout, stderr=stderr)
    deadline = time.monotonic() + timeout
    peak = 0
    while process.poll() is None:
        peak = max(peak, high_water_mb(process.pid))
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise AssertionError(f"still running after {timeout} s:\n{err.read_text()[-2000:]}")
        time.sleep(0.02)
    return process.returncode, out.read_text(), err.read_text(), peak


def test_a_trickle_a_gzip_bomb_and_a_huge_feed_fail_alone_in_bounded_memory(seeded_db, tmp_path):
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    routes = {
        "/trickle": trickle(),
        "/bomb": bomb_route(),
        "/huge": huge_feed(),
        "/good": Route(RSS_FEED, RSS),
    }
    with FeedServer(routes) as server:
        feeds = [server.url(p) for p in ("/trickle", "/bomb", "/huge", "/good")]
        started = time.monotonic()
        code, out, err, peak_mb = run_measured(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "--db",
                str(path),
                "watch",
                "--once",
                "--allow-host",
                "127.0.0.1",
                "--source-timeout",
                "3",
                *(arg for url in feeds for arg in ("--feed", url)),
            ],
            tmp_path,
            timeout=120,
        )
        elapsed = time.monotonic() - started
    assert 0 == code, err
    assert "Traceback" not in err
    assert re.search(r"articles: 2 new", out), out
    failed = dict(re.findall(r"failed: (\S+): (.*) \(will retry\)", err))
    assert sorted(feeds[:3]) == sorted(failed), err
    assert "deadline" in failed[feeds[0]]
    assert "once decompressed" in failed[feeds[1]]
    assert "byte cap" in failed[feeds[2]]
    assert peak_mb < MAX_RSS_MB, f"peak RSS {peak_mb} MB"
    assert elapsed < 60, f"took {elapsed:.1f} s"


def articles_in(path: Path) -> int:
    store = Store(path)
    try:
        return store.db.execute("select count(*) from articles").fetchone()[0]
    finally:
        store.close()


def test_a_trickling_feed_does_not_delay_the_other_feeds(seeded_db, tmp_path):
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    routes = {"/trickle": trickle(), "/good": Route(RSS_FEED, RSS)}
    with FeedServer(routes) as server:
        args = ["--feed", server.url("/trickle"), "--feed", server.url("/good")]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "--db",
                str(path),
                "watch",
                "--once",
                "--allow-host",
                "127.0.0.1",
                "--source-timeout",
                "60",
                *args,
            ],
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 50
            while articles_in(path) < 4 + 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            # The good feed is in while the trickle still holds its own download.
            assert (6, None) == (articles_in(path), process.poll())
        finally:
            process.terminate()
            process.communicate(timeout=30)
