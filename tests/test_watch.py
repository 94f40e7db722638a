"""`sitrep watch`: folders, feeds and pages polled into the store, with backoff on failure."""

from __future__ import annotations

import sqlite3
import threading

import httpx
import pytest

from store.db import Store
from store.fetch import AddressPolicy
from store.indexer import index_articles
from store.ingest import iter_articles
from store.watch import Watcher, backoff_delay, strip_html, web_id
from tests.feed_server import (
    ARTICLE_PAGE,
    ATOM_FEED,
    RSS_FEED,
    FeedServer,
    Route,
    closed_port_url,
)

# The test servers are on 127.0.0.1, which sitrep watch refuses unless told otherwise.
LOOPBACK = AddressPolicy(allowed_hosts=frozenset({"127.0.0.1"}))
RSS = "application/rss+xml"
ATOM = "application/atom+xml"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def client():
    # trust_env=False: a proxy set in the environment must not see our 127.0.0.1 requests.
    with httpx.Client(timeout=5.0, trust_env=False) as client:
        yield client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def watcher(store, client, clock, folders=(), feeds=(), pages=()) -> Watcher:
    return Watcher(
        store, list(folders), list(feeds), list(pages), client=client, clock=clock, policy=LOOPBACK
    )


def article_rows(store: Store) -> list[dict]:
    return [dict(r) for r in store.db.query("select * from articles order by id")]


STRIKE = (
    "date 2023-11-14\n"
    "Russian artillery shelled a market in Kharkiv on Tuesday, killing two people,"
    " regional governor Oleh Syniehubov said.\n"
)


def test_backoff_doubles_from_thirty_seconds_and_caps_at_an_hour():
    assert [backoff_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_delay(20) == 3600


def test_strip_html_keeps_paragraphs_and_unescapes_entities():
    assert strip_html("<p>One &amp; two.</p><p>Three<br/>four</p>") == "One & two.\nThree\nfour"


# --- folders ---------------------------------------------------------------------------------


def test_folder_new_file_is_indexed_and_unchanged_pass_reads_nothing(
    store, client, clock, tmp_path
):
    (tmp_path / "strike.txt").write_text(STRIKE, encoding="utf-8")
    w = watcher(store, client, clock, folders=[tmp_path])

    first = w.poll_once()
    assert (first.new, first.failed) == (1, 0)
    assert first.events_added >= 1

    second = w.poll_once()
    # Not even "unchanged": a file whose (mtime, size) did not move is not read at all.
    assert (second.new, second.changed, second.unchanged) == (0, 0, 0)


def test_a_failure_half_way_through_a_folder_leaves_the_rest_for_the_retry(
    store, client, clock, tmp_path, monkeypatch
):
    for n in range(5):
        (tmp_path / f"strike{n}.txt").write_text(STRIKE.replace("two", f"{n + 2}"), "utf-8")
    w = watcher(store, client, clock, folders=[tmp_path])
    real = store.replace_article
    calls = []

    def locked_on_the_third(article, candidates):
        calls.append(article.id)
        if len(calls) == 3:
            raise sqlite3.OperationalError("database is locked")
        return real(article, candidates)

    monkeypatch.setattr(store, "replace_article", locked_on_the_third)
    first = w.poll_once()
    assert (2, [str(tmp_path)]) == (first.new, list(first.sources_failed))
    clock.now += backoff_delay(1)
    second = w.poll_once()
    assert (3, {}) == (second.new, second.sources_failed)
    assert 5 == store.db["articles"].count


def test_the_same_folder_indexed_and_watched_gives_the_same_articles(
    store, client, clock, tmp_path
):
    for town in ("kharkiv", "odesa"):
        (tmp_path / town).mkdir()
        (tmp_path / town / "report.txt").write_text(STRIKE.replace("Kharkiv", town.title()))
    assert 2 == watcher(store, client, clock, folders=[tmp_path]).poll_once().new
    again = index_articles(store, iter_articles([tmp_path]))
    assert (0, 2) == (again.new, again.unchanged)
    assert ["kharkiv/report", "odesa/report"] == [r["id"] for r in article_rows(store)]


def test_folder_edited_file_is_reindexed(store, client, clock, tmp_path):
    path = tmp_path / "strike.txt"
    path.write_text(STRIKE, encoding="utf-8")
    w = watcher(store, client, clock, folders=[tmp_path])
    w.poll_once()

    path.write_text(STRIKE.replace("two people", "three people"), encoding="utf-8")
    report = w.poll_once()

    assert (report.new, report.changed) == (0, 1)
    assert "three people" in store.db["articles"].get("strike")["text"]


def test_folder_manifest_metadata_is_used(store, client, clock, tmp_path):
    (tmp_path / "strike.txt").write_text(STRIKE.split("\n", 1)[1], encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,published,title,url,publisher\n"
        "strike.txt,2023-11-14,Kharkiv market shelled,https://example.org/a,Example News\n",
        encoding="utf-8",
    )
    watcher(store, client, clock, folders=[tmp_path]).poll_once()

    row = store.db["articles"].get("strike")
    assert (row["published"], row["publisher"]) == ("2023-11-14", "Example News")


def test_missing_folder_is_reported_not_fatal(store, client, clock, tmp_path):
    (tmp_path / "strike.txt").write_text(STRIKE, encoding="utf-8")
    missing = tmp_path / "nowhere"
    report = watcher(store, client, clock, folders=[missing, tmp_path]).poll_once()

    assert report.sources_failed == {str(missing): "no such folder"}
    assert report.new == 1


# --- feeds -----------------------------------------------------------------------------------


def test_rss_entries_are_indexed_with_url_publisher_and_date(store, client, clock):
    with FeedServer({"/rss": Route(RSS_FEED, RSS)}) as server:
        report = watcher(store, client, clock, feeds=[server.url("/rss")]).poll_once()

    assert (report.new, report.failed, report.sources_failed) == (2, 0, {})
    url = "https://kyivwire.example/news/kharkiv-market"
    row = store.db["articles"].get(web_id(url))
    assert row["url"] == url
    assert row["publisher"] == "Kyiv Wire"
    assert row["published"] == "2023-11-14"
    assert row["title"] == "Shelling hits Kharkiv market"
    assert row["text"].startswith("Shelling hits Kharkiv market\nRussian artillery shelled")
    assert "<p>" not in row["text"]


def test_atom_entries_are_indexed(store, client, clock):
    with FeedServer({"/atom": Route(ATOM_FEED, ATOM)}) as server:
        report = watcher(store, client, clock, feeds=[server.url("/atom")]).poll_once()

    assert report.new == 1
    (row,) = article_rows(store)
    assert row["url"] == "https://dniprodaily.example/2023/11/15/missile-strike"
    assert (row["publisher"], row["published"]) == ("Dnipro Daily", "2023-11-15")
    dnipro = store.gazetteer().lookup("Dnipro")
    assert store.find_events(dnipro)[1] >= 1


def test_second_feed_poll_sends_etag_and_indexes_nothing_on_304(store, client, clock):
    with FeedServer({"/rss": Route(RSS_FEED, RSS, etag='"rss-v1"')}) as server:
        w = watcher(store, client, clock, feeds=[server.url("/rss")])
        w.poll_once()
        second = w.poll_once()
        requests = server.requests_to("/rss")

    assert "if-none-match" not in requests[0].headers
    assert requests[1].headers["if-none-match"] == '"rss-v1"'
    assert (second.new, second.changed, second.unchanged) == (0, 0, 0)
    assert len(article_rows(store)) == 2


def test_feed_validators_survive_a_restart(store, client, clock, db_path):
    modified = "Tue, 14 Nov 2023 12:00:00 GMT"
    route = Route(RSS_FEED, RSS, etag='"rss-v1"', last_modified=modified)
    with FeedServer({"/rss": route}) as server:
        watcher(store, client, clock, feeds=[server.url("/rss")]).poll_once()
        reopened = Store(db_path)
        watcher(reopened, client, clock, feeds=[server.url("/rss")]).poll_once()
        reopened.close()
        last = server.requests_to("/rss")[-1]

    assert last.headers["if-none-match"] == '"rss-v1"'
    assert last.headers["if-modified-since"] == modified


def test_failing_feed_backs_off_then_is_ingested_exactly_once(store, client, clock):
    with FeedServer({"/rss": Route(RSS_FEED, RSS, etag='"v1"', fail_times=2)}) as server:
        url = server.url("/rss")
        w = watcher(store, client, clock, feeds=[url])

        first = w.poll_once()
        assert first.sources_failed == {url: "HTTP 500"}

        clock.now += 29  # inside the 30 s backoff: not asked again
        assert w.poll_once().sources_waiting == [url]
        assert len(server.requests_to("/rss")) == 1

        clock.now += 2
        assert w.poll_once().sources_failed == {url: "HTTP 500"}
        clock.now += 59  # the second failure doubled the wait to 60 s
        w.poll_once()
        assert len(server.requests_to("/rss")) == 2

        clock.now += 2
        recovered = w.poll_once()
        assert (recovered.new, recovered.sources_failed) == (2, {})

        clock.now += 1  # success reset the backoff: polled at once, and 304
        again = w.poll_once()
        assert (again.new, again.sources_waiting) == (0, [])
        assert len(server.requests_to("/rss")) == 4

    assert len(article_rows(store)) == 2


def test_unparseable_feed_and_html_at_feed_url_are_reported(store, client, clock):
    routes = {"/garbage": Route("this is not a feed <<<", RSS), "/html": Route(ARTICLE_PAGE)}
    with FeedServer(routes) as server:
        feeds = [server.url("/garbage"), server.url("/html")]
        report = watcher(store, client, clock, feeds=feeds).poll_once()

    assert sorted(report.sources_failed) == sorted(feeds)
    assert all(r.startswith("not a feed") for r in report.sources_failed.values())
    assert article_rows(store) == []


def headline_feed(link: str) -> str:
    """An RSS feed whose one entry is a bare headline: its text must come from its page."""
    item = f"<item><title>Odesa strike</title><link>{link}</link></item>"
    return RSS_FEED.split("<item>")[0] + item + "</channel></rss>"


def test_feed_entry_without_text_is_read_from_its_page(store, client, clock):
    with FeedServer() as server:
        feed = headline_feed(server.url("/odesa"))
        server.routes.update({"/rss": Route(feed, RSS), "/odesa": Route(ARTICLE_PAGE)})
        report = watcher(store, client, clock, feeds=[server.url("/rss")]).poll_once()

    assert report.new == 1
    (row,) = article_rows(store)
    assert "killing at least 5 people" in row["text"]
    assert row["url"] == server.url("/odesa")
    assert row["publisher"] == "Black Sea Herald"


def test_feed_entry_whose_page_fails_is_retried_after_its_backoff(store, client, clock):
    with FeedServer() as server:
        page = server.url("/odesa")
        server.routes.update(
            {
                "/rss": Route(headline_feed(page), RSS, etag='"h1"'),
                "/odesa": Route(ARTICLE_PAGE, fail_times=1),
            }
        )
        w = watcher(store, client, clock, feeds=[server.url("/rss")])
        first = w.poll_once()
        clock.now += 5
        waiting = w.poll_once()
        clock.now += 30
        recovered = w.poll_once()
        rss = server.requests_to("/rss")

    assert first.sources_failed == {page: "HTTP 500"}
    assert waiting.sources_waiting == [page]
    assert (recovered.new, recovered.sources_failed) == (1, {})
    # The feed's ETag is kept only once every entry is in: until then it is re-read whole.
    assert ["if-none-match" in r.headers for r in rss] == [False, False, False]
    assert len(server.requests_to("/odesa")) == 2


# --- pages -----------------------------------------------------------------------------------


def test_page_is_extracted_and_its_odesa_event_found(store, client, clock):
    with FeedServer({"/odesa": Route(ARTICLE_PAGE)}) as server:
        url = server.url("/odesa")
        report = watcher(store, client, clock, pages=[url]).poll_once()

    assert (report.new, report.sources_failed) == (1, {})
    row = store.db["articles"].get(web_id(url))
    assert row["title"] == "Missile strike on Odesa apartment block kills five"
    assert row["published"] == "2023-11-20"
    assert row["publisher"] == "Black Sea Herald"
    assert row["url"] == url
    assert row["text"].startswith(
        "Missile strike on Odesa apartment block kills five\n"
        "Russian missiles struck a residential building in Odesa on Monday"
    )
    assert "All rights reserved" not in row["text"]

    events, total = store.find_events(store.gazetteer().lookup("Odesa"))
    assert total >= 1
    assert events[0]["date"] == "2023-11-20"


def test_same_page_listed_twice_is_fetched_and_indexed_once(store, client, clock):
    with FeedServer({"/odesa": Route(ARTICLE_PAGE)}) as server:
        url = server.url("/odesa")
        report = watcher(store, client, clock, pages=[url, url]).poll_once()
        assert len(server.requests_to("/odesa")) == 1

    assert report.new == 1
    assert len(article_rows(store)) == 1


def test_same_text_under_two_urls_is_indexed_once(store, client, clock):
    routes = {"/a": Route(ARTICLE_PAGE), "/b": Route(ARTICLE_PAGE)}
    with FeedServer(routes) as server:
        w = watcher(store, client, clock, pages=[server.url("/a"), server.url("/b")])
        first = w.poll_once()
        second = w.poll_once()

    assert (first.new, first.duplicates) == (1, 1)
    assert (second.new, second.changed) == (0, 0)
    # Downloaded side by side: whichever answer completed first owns the text.
    [owner] = [r["url"] for r in article_rows(store)]
    assert owner in (server.url("/a"), server.url("/b"))


def test_page_sends_etag_and_304_indexes_nothing(store, client, clock):
    with FeedServer({"/odesa": Route(ARTICLE_PAGE, etag='"p1"')}) as server:
        w = watcher(store, client, clock, pages=[server.url("/odesa")])
        w.poll_once()
        second = w.poll_once()
        last = server.requests_to("/odesa")[-1]

    assert last.headers["if-none-match"] == '"p1"'
    assert (second.new, second.unchanged, second.sources_failed) == (0, 0, {})


# --- failures --------------------------------------------------------------------------------


def test_broken_sources_do_not_stop_the_others_in_the_same_pass(store, client, clock, tmp_path):
    (tmp_path / "strike.txt").write_text(STRIKE, encoding="utf-8")
    routes = {
        "/rss": Route(RSS_FEED, RSS),
        "/odesa": Route(ARTICLE_PAGE),
        "/down": Route(ARTICLE_PAGE, fail_times=5),
    }
    refused = closed_port_url("/feed.xml")
    with FeedServer(routes) as server:
        pages = [server.url("/down"), server.url("/missing"), server.url("/odesa")]
        w = watcher(store, client, clock, [tmp_path], [refused, server.url("/rss")], pages)
        report = w.poll_once()

    assert report.sources_failed[server.url("/down")] == "HTTP 500"
    assert report.sources_failed[server.url("/missing")] == "HTTP 404"
    assert report.sources_failed[refused].startswith("ConnectError")
    assert len(report.sources_failed) == 3
    assert report.new == 1 + 2 + 1  # the file, both feed entries, the Odesa page


def test_run_polls_until_stopped(store, client, clock, tmp_path):
    (tmp_path / "strike.txt").write_text(STRIKE, encoding="utf-8")
    stop = threading.Event()
    reports = []

    def on_report(report):
        reports.append(report)
        if len(reports) == 2:
            stop.set()

    watcher(store, client, clock, folders=[tmp_path]).run(0, stop, on_report=on_report)

    assert [r.new for r in reports] == [1, 0]


# --- addresses -------------------------------------------------------------------------------


def test_feed_links_to_private_addresses_are_neither_fetched_nor_indexed(store, client, clock):
    with FeedServer() as server:
        private_page = server.url("/admin").replace("127.0.0.1", "localhost")
        feed = RSS_FEED.replace(
            "https://kyivwire.example/news/kharkiv-market", "http://10.0.0.5/internal"
        ).replace("https://kyivwire.example/news/zaporizhzhia-drones", "http://127.0.0.1/x")
        server.routes["/rss"] = Route(feed, RSS)
        server.routes["/headlines"] = Route(headline_feed(private_page), RSS)
        server.routes["/admin"] = Route(ARTICLE_PAGE)
        w = Watcher(
            store,
            [],
            [server.url("/rss"), server.url("/headlines")],
            [],
            client=client,
            clock=clock,
            policy=AddressPolicy(allowed_hosts=frozenset({"127.0.0.1"})),
        )
        report = w.poll_once()
        assert [] == server.requests_to("/admin")
    assert 1 == report.new  # the 127.0.0.1 entry: the operator allowed that host
    assert ["http://127.0.0.1/x"] == [r["url"] for r in article_rows(store)]
    assert any("10.0.0.5" in w and "not a public address" in w for w in report.warnings)
    assert any(private_page in w and "not a public address" in w for w in report.warnings)


def test_a_feed_on_a_private_address_is_refused_by_default(store, client, clock):
    with FeedServer({"/rss": Route(RSS_FEED, RSS)}) as server:
        w = Watcher(store, [], [server.url("/rss")], [], client=client, clock=clock)
        report = w.poll_once()
        assert [] == server.requests
    assert "not a public address" in report.sources_failed[server.url("/rss")]
    assert [] == article_rows(store)


def test_a_linked_file_in_a_watched_folder_is_reported_not_indexed(store, client, clock, tmp_path):
    secret = tmp_path / "secret.env"
    secret.write_text("TELEGRAM_BOT_TOKEN=123:secret", encoding="utf-8")
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "strike.txt").write_text(STRIKE, encoding="utf-8")
    (folder / "token.txt").symlink_to(secret)
    report = watcher(store, client, clock, folders=[folder]).poll_once()
    assert (1, 1) == (report.new, report.failed)
    assert "symbolic link" in report.problems[0]
    assert ["strike"] == [r["id"] for r in article_rows(store)]


def test_a_feed_entry_dated_in_the_future_is_reported_not_indexed(store, client, clock):
    feed = RSS_FEED.replace("Tue, 14 Nov 2023 09:00:00 GMT", "Mon, 14 Nov 2033 09:00:00 GMT")
    with FeedServer({"/rss": Route(feed, RSS)}) as server:
        report = watcher(store, client, clock, feeds=[server.url("/rss")]).poll_once()
    assert (1, 1) == (report.new, report.failed)
    assert "published 2033-11-14 is outside 2014-01-01.." in report.problems[0]
