"""The operator's drills of issue 14, re-run with their figures: data loss, concurrency, leaks,
stalls and bad input. Run by hand, not in tests (about 3 minutes on 2 shared cores):

    PYTHONPATH=. .venv/bin/python bench/drills.py            # every drill
    PYTHONPATH=. .venv/bin/python bench/drills.py kill stop  # only those

Each drill prints what the issue measured before ("was") and what it measures now. Everything
runs on 127.0.0.1: the Bot API fake and the feed servers of tests/, real `sitrep` processes.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from botapi_fake import BotApiFake  # noqa: E402
from feed_server import RSS_FEED, FeedServer, Route  # noqa: E402
from hostile_server import bomb_route, huge_feed, trickle  # noqa: E402

from store.db import Store  # noqa: E402
from store.indexer import index_articles  # noqa: E402
from store.ingest import iter_articles  # noqa: E402
from store.subscriptions import Subscriptions  # noqa: E402

PY = sys.executable
STRIKE = (
    "date 2022-03-10\n"
    "A Russian missile strike hit a school in Kharkiv on Thursday, the regional governor said.\n"
)


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITREP_DB", "TELEGRAM_BOT_TOKEN")}
    clean["PYTHONPATH"] = str(ROOT)
    return clean


def sitrep(db: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [PY, "-m", "bot.cli", "--db", str(db), *args],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def run(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "-m", "bot.cli", "--db", str(db), *args], env=env(), capture_output=True, text=True
    )


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def count(db: Path, sql: str, params: list | None = None) -> int:
    store = Store(db)
    try:
        return store.db.execute(sql, params or []).fetchone()[0]
    finally:
        store.close()


def corpus(folder: Path, n: int, seed: int = 1) -> Path:
    subprocess.run(
        [PY, str(ROOT / "bench" / "corpus.py"), str(folder), "-n", str(n), "--seed", str(seed)],
        env=env(),
        check=True,
        capture_output=True,
    )
    return folder


def line(name: str, was: str, now: str) -> None:
    print(f"{name:<44} was: {was:<36} now: {now}", flush=True)


class Drills:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.template = work / "template.db"
        store = Store(self.template)
        store.gazetteer()
        store.db.execute("pragma wal_checkpoint(truncate)")
        store.close()
        self.seeded = work / "seeded.db"
        shutil.copy(self.template, self.seeded)
        store = Store(self.seeded)
        index_articles(store, iter_articles([ROOT / "seeds"]))
        store.db.execute("pragma wal_checkpoint(truncate)")
        store.close()

    def db(self, name: str, seeded: bool = True) -> Path:
        path = self.work / f"{name}.db"
        shutil.copy(self.seeded if seeded else self.template, path)
        return path

    # --- data loss -----------------------------------------------------------------------------

    def kill(self) -> None:
        """kill -9 four times during sitrep index and once during sitrep watch."""
        folder = corpus(self.work / "kill", 1500, seed=2)
        clean = self.db("kill-clean", seeded=False)
        run(clean, "index", str(folder))
        killed = self.db("kill-killed", seeded=False)
        rng = random.Random(1)
        for _ in range(4):
            p = sitrep(killed, "index", str(folder))
            time.sleep(rng.uniform(1.0, 4.0))  # a drill: a kill at a random moment
            p.send_signal(signal.SIGKILL)
            p.wait()
        w = sitrep(killed, "watch", "--folder", str(folder), "--once")
        time.sleep(2.0)
        w.send_signal(signal.SIGKILL)
        w.wait()
        rerun = run(killed, "index", str(folder))
        integrity = Store(killed).db.execute("pragma integrity_check").fetchone()[0]
        same = run(clean, "export").stdout == run(killed, "export").stdout
        line(
            "kill -9 x4 in index, x1 in watch, re-run",
            "integrity ok, export identical",
            f"integrity {integrity}, export identical: {same}; {rerun.stdout.strip()[:60]}",
        )

    def watch_failure(self) -> None:
        """A pass that fails half-way (the database held past the busy timeout) then retries."""
        folder = corpus(self.work / "watchfail", 2000, seed=3)
        path = self.db("watchfail")
        store = Store(path)
        from store.fetch import AddressPolicy
        from store.watch import Watcher

        watcher = Watcher(store, [folder], [], [], policy=AddressPolicy())
        real, calls = store.replace_article, []

        def fail_once_at_766(article, candidates):
            calls.append(1)
            if len(calls) == 766:
                raise RuntimeError("database is locked")
            return real(article, candidates)

        store.replace_article = fail_once_at_766  # type: ignore[method-assign]
        first = watcher.poll_once()
        watcher._due.clear()  # the backoff is over
        second = watcher.poll_once()
        articles = store.db.execute("select count(*) from articles").fetchone()[0] - 4
        line(
            "watch: failure mid-pass, then a retry",
            "4,234 of 5,000 left out until restart",
            f"{2000 - articles} of 2,000 left out (pass 1: {first.new}, retry: {second.new})",
        )
        store.close()

    def same_name(self) -> None:
        folder = self.work / "samename"
        for town in ("Kharkiv", "Odesa"):
            (folder / town.lower()).mkdir(parents=True)
            (folder / town.lower() / "report.txt").write_text(STRIKE.replace("Kharkiv", town))
        path = self.db("samename")
        ids = []
        for _ in range(3):
            run(path, "index", str(folder))
            ids.append(count(path, "select count(*) from articles where id like '%report'"))
        line("two report.txt in two folders, 3 runs", "one article, flipping", f"{ids} articles")

    def correction(self) -> None:
        path = self.db("correction")
        folder = self.work / "correction"
        folder.mkdir()
        store = Store(path)
        Subscriptions(store).add(42, 0, "all", None, "all")
        (folder / "school.txt").write_text(STRIKE.replace("Kharkiv", "Odesa"))
        index_articles(store, iter_articles([folder]))
        old = store.db.execute("select max(id) from events").fetchone()[0]
        (folder / "school.txt").write_text(STRIKE)
        index_articles(store, iter_articles([folder]))
        new = store.db.execute("select max(id) from events").fetchone()[0]
        tomb = store.db.execute("select replaced_by from event_tombstones where id = ?", [old])
        line(
            "corrected story Odesa -> Kharkiv",
            "id reused, no correction pushed",
            f"old id {old} -> new id {new}, tombstone names {tomb.fetchone()[0]}",
        )
        store.close()

    # --- concurrency ---------------------------------------------------------------------------

    def concurrency(self) -> None:
        folder = corpus(self.work / "conc", 300, seed=4)
        failures = trials = 0
        push_tracebacks = 0
        for trial in range(4):
            path = self.db(f"conc{trial}")
            store = Store(path)
            Subscriptions(store).add(777, 0, "all", None, "all")
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
                fake.wait_for("setMyCommands", timeout=60)
                writers = [
                    sitrep(path, "index", str(folder)),
                    sitrep(path, "index", str(folder)),
                    sitrep(path, "watch", "--folder", str(folder), "--once"),
                ]
                for w in writers:
                    _, err = w.communicate()
                    trials += 1
                    failures += w.returncode != 0 or "Traceback" in err
                wait_until(
                    lambda p=path: (
                        count(p, "select count(*) from deliveries where status = 'pending'") == 0
                    ),
                    60,
                )
                bot.send_signal(signal.SIGTERM)
                _, err = bot.communicate(timeout=60)
                push_tracebacks += err.count("Traceback")
            articles = count(path, "select count(*) from articles") - 4
        line(
            "2 index + watch + pushing bot, 4 trials",
            "index died 'database is locked' 4/4",
            f"{failures} of {trials} writers failed; {articles} of 300 articles",
        )
        line("push job tracebacks while indexing", "26 in 33 s", f"{push_tracebacks}")

    # --- leaks ---------------------------------------------------------------------------------

    def leaks(self) -> None:
        folder = self.work / "leaks"
        folder.mkdir()
        (self.work / ".env").write_text("TELEGRAM_BOT_TOKEN=123456:SECRETSECRET\n")
        (folder / "env.txt").symlink_to(self.work / ".env")
        (folder / "passwd.txt").symlink_to("/etc/passwd")
        (folder / "ok.txt").write_text(STRIKE)
        path = self.db("leaks")
        run(path, "index", str(folder))
        leaked = count(
            path, "select count(*) from articles where text like '%SECRET%' or text like '%root:%'"
        )
        line(
            "symlinks to .env and /etc/passwd",
            "token in /sources, passwd indexed",
            f"{leaked} leaked articles",
        )

        with FeedServer() as server:
            server.routes["/rss"] = Route(RSS_FEED, "application/rss+xml")
            result = run(path, "watch", "--once", "--feed", server.url("/rss"))
            refused = "not a public address" in result.stderr
            hits = len(server.requests)
        line(
            "feed on 127.0.0.1 without --allow-host",
            "fetched, indexed, shown",
            f"refused: {refused}, requests that reached it: {hits}",
        )

        shown = 0
        for code in (401, 404, 500):
            with BotApiFake() as fake:
                fake.inject("getMe", code, times=None)
                r = run(path, "run", "--token", fake.token, "--bot-api-url", fake.base_url)
                shown += (fake.token in r.stdout + r.stderr) + ("Traceback" in r.stderr)
        line(
            "401/404/500 at start: token or traceback",
            "full token in a traceback",
            f"{shown} outputs with either",
        )

        r = run(path, "run", "--token", "1:x", "--webhook-url", "https://example.org/x")
        line(
            "webhook without --secret-token",
            "forged updates accepted",
            f"exit {r.returncode}: {r.stderr.strip()[:50]}...",
        )

        store = Store(path)
        store.db.execute('update articles set title = \'=HYPERLINK("http://x","y")\'')
        store.close()
        csv = run(path, "export", "--format", "csv").stdout
        formulas = sum(
            cell.startswith(("=", "+", "-", "@"))
            for row in csv.splitlines()
            for cell in row.split(",")
        )
        line("CSV cells starting with = + - @", "written as they come", f"{formulas} cells")

    # --- stalls --------------------------------------------------------------------------------

    def stalls(self) -> None:
        routes = {
            "/trickle": trickle(),
            "/bomb": bomb_route(),
            "/huge": huge_feed(),
            "/good": Route(RSS_FEED, "application/rss+xml"),
        }
        with FeedServer(routes) as server:
            for name, was in (
                ("/trickle", "blocks every other source"),
                ("/bomb", "5.3 GB, then MemoryError"),
                ("/huge", "1.9 GB"),
            ):
                path = self.db(f"stall{name[1:]}")
                before = count(path, "select count(*) from articles")
                started = time.monotonic()
                p = subprocess.Popen(
                    ["/usr/bin/time", "-f", "%M", PY, "-m", "bot.cli", "--db", str(path)]
                    + ["watch", "--once", "--allow-host", "127.0.0.1"]
                    + ["--feed", server.url(name), "--feed", server.url("/good")],
                    env=env(),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                wait_until(
                    lambda p=path, b=before: count(p, "select count(*) from articles") >= b + 2, 120
                )
                good_in = time.monotonic() - started
                out, err = p.communicate()
                took = time.monotonic() - started
                peak = int(err.strip().splitlines()[-1]) // 1024
                line(
                    f"watch: {name[1:]} feed + a good one",
                    was,
                    f"good feed in at {good_in:.1f} s, pass {took:.1f} s, peak RSS {peak} MB",
                )

    def fanout(self) -> None:
        """One chat always 5xx among 999 others: how many others get the message in one push."""
        from bot.push import ChatBackoff, push_once
        from bot.telegram import build_application

        path = self.db("fanout")
        store = Store(path)
        subs = Subscriptions(store)
        with store.write():
            for chat in range(20_000, 21_000):
                subs.add(chat, 0, "all", None, "all")
        folder = self.work / "fanout"
        folder.mkdir()
        (folder / "strike.txt").write_text(STRIKE)
        index_articles(store, iter_articles([folder]))

        async def push() -> tuple[int, float]:
            with BotApiFake() as fake:
                fake.inject("sendMessage", 500, chat_id=20_000, times=None)
                app = build_application(
                    store,
                    fake.token,
                    base_url=fake.base_url,
                    push_interval=None,
                    max_send_rate=1000,
                )
                await app.initialize()
                started = time.monotonic()
                await push_once(app.bot, store, backoff=ChatBackoff())
                took = time.monotonic() - started
                await app.shutdown()
                return len([p for p in fake.sent() if p["chat_id"] != 20_000]), took

        others, took = asyncio.run(push())
        line(
            "1 chat always 5xx, 999 others, one push",
            "421 of 999 after 60 pushes",
            f"{others} of 999 in one push ({took:.1f} s)",
        )
        store.close()

    def stop(self) -> None:
        path = self.db("stop")
        store = Store(path)
        subs = Subscriptions(store)
        with store.write():
            for chat in range(30_000, 31_900):
                subs.add(chat, 0, "all", None, "all")
        folder = self.work / "stop"
        folder.mkdir()
        (folder / "strike.txt").write_text(STRIKE)
        index_articles(store, iter_articles([folder]))
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
                "0.5",
            )
            wait_until(lambda: len(fake.sent()) >= 60, 60)
            asked = time.monotonic()
            bot.send_signal(signal.SIGTERM)
            bot.communicate(timeout=120)
            took = time.monotonic() - asked
            sent = len(fake.sent())
        queued = count(path, "select count(*) from deliveries where status = 'pending'")
        recorded = count(path, "select count(*) from deliveries where status = 'sent'")
        line(
            "SIGTERM with 1,900 queued (29.5/s)",
            "61 s: sent the whole queue",
            f"{took:.2f} s; {sent} sent = {recorded} recorded, {queued} left queued",
        )

    def callback(self) -> None:
        sys.path.insert(0, str(ROOT / "tests"))
        from running_bot import start_bot, stop_bot

        path = self.db("callback")
        store = Store(path)

        async def press() -> float:
            with BotApiFake() as fake:
                app = await start_bot(store, fake)
                fake.user_message("/city Kharkiv")
                message = await fake.wait_for_message_async(1001)
                started = time.monotonic()
                query = fake.callback_query(
                    message, "pg|1|city|" + "Kharkiv " * 12_500, check_button=False
                )
                await fake.wait_for_reply_async(query)
                took = time.monotonic() - started
                await stop_bot(app)
                return took

        line(
            "forged 100,000-byte callback",
            "blocked the bot 3.5 min",
            f"answered 'expired' in {asyncio.run(press()) * 1000:.0f} ms",
        )
        store.close()

    # --- bad input -----------------------------------------------------------------------------

    def bad_input(self) -> None:
        folder = self.work / "bad"
        folder.mkdir()
        (folder / "a.txt").write_text(STRIKE)
        (folder / "b.txt").write_text(STRIKE.replace("Kharkiv", "Odesa"))
        (folder / "manifest.csv").write_bytes(
            "file,published,title\r\na.txt,9999-12-31,Futur\r\nb.txt,2022-03-10,Café\r\n".encode(
                "latin-1"
            )
        )
        path = self.db("bad")
        r = run(path, "index", str(folder))
        line(
            "manifest: 9999-12-31, Latin-1",
            "accepted / whole run aborted",
            f"{r.stdout.strip()[:40]}; {r.stderr.strip()[:60]}",
        )
        (folder / "manifest.csv").write_bytes(
            b"\xef\xbb\xbffile,published,title\r\na.txt,2022-03-10,"
            + b"x" * 140_000
            + b"\r\nb.txt,2022-03-10,B\r\n"
        )
        r = run(self.db("bad2"), "index", str(folder))
        line(
            "manifest: BOM + a 140 KB field",
            "rejected / whole run aborted",
            f"{r.stdout.strip()[:40]}; {r.stderr.strip()[:60]}",
        )

        big = corpus(self.work / "ctrlc", 800, seed=5)
        path = self.db("ctrlc")
        p = sitrep(path, "index", str(big))
        wait_until(lambda: count(path, "select count(*) from articles") > 50, 60)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate()
        line(
            "Ctrl-C in sitrep index",
            "traceback",
            f"exit {p.returncode}, traceback: {'Traceback' in err}; {out.strip()[:40]}",
        )


DRILLS = (
    "kill",
    "watch_failure",
    "same_name",
    "correction",
    "concurrency",
    "leaks",
    "stalls",
    "fanout",
    "stop",
    "callback",
    "bad_input",
)


def main(argv: list[str]) -> int:
    wanted = [d for d in DRILLS if not argv or any(d.startswith(a) for a in argv)]
    with tempfile.TemporaryDirectory(prefix="sitrep-drills-") as tmp:
        drills = Drills(Path(tmp))
        print(f"load average {os.getloadavg()[0]:.2f}; drills: {', '.join(wanted)}")
        for name in wanted:
            getattr(drills, name)()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
