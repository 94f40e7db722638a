"""Live ingestion: poll folders, RSS/Atom feeds and article pages, index what is new.

Each pass reads only what may have changed: folder files whose (mtime, size) moved, feeds and
pages through conditional requests whose validators live in the database's meta table so a
restart does not re-download everything. Feeds and pages are downloaded side by side, each within
its deadline and byte caps (store.fetch), and indexed as each answer completes. A source that
fails is retried with exponential backoff measured on an injected clock, and never stops the
other sources.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import feedparser
import httpx
import trafilatura

from store.db import Store
from store.fetch import AddressPolicy, Fetched, FetchError, FetchLimits, fetch
from store.indexer import IndexReport, index_articles
from store.ingest import (
    MANIFEST,
    article_files,
    implausible,
    manifest_row,
    read_article,
    read_manifest,
)
from store.models import Article

log = logging.getLogger(__name__)

BACKOFF_FIRST = 30.0
BACKOFF_MAX = 3600.0
# Below this many characters a feed entry is a bare headline: read its page instead.
MIN_ENTRY_TEXT = 40
USER_AGENT = "sitrep-watch/0.1"
# Feeds and pages downloaded at once in a pass.
PARALLEL_FETCHES = 8


class SourceError(Exception):
    """A feed or page that could not be read this pass; the message is the reason shown."""


@dataclass
class WatchReport(IndexReport):
    """An indexing report for a whole pass over every source, with what failed or waits."""

    # Same text already indexed under another URL.
    duplicates: int = 0
    sources_failed: dict[str, str] = field(default_factory=dict)
    # Sources skipped this pass because their backoff has not expired.
    sources_waiting: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"articles: {self.new} new, {self.changed} changed, {self.unchanged} unchanged,"
            f" {self.duplicates} duplicate, {self.failed} failed; events: {self.events_added}"
            f" added, {self.events_updated} updated, {self.events_removed} removed"
        )
        if self.sources_failed:
            line += f"; {len(self.sources_failed)} sources failed"
        if self.sources_waiting:
            line += f"; {len(self.sources_waiting)} waiting to retry"
        return line


def backoff_delay(failures: int) -> float:
    """Seconds to wait after the n-th failure in a row: 30, 60, 120, ... at most an hour."""
    return min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_MAX)


def web_id(url: str) -> str:
    """Article id for a URL, so the same link from a feed and a page list is one article."""
    return "web_" + hashlib.sha1(url.encode()).hexdigest()[:16]


def text_key(text: str) -> str:
    """The text alone, whitespace-normalised: one story under two URLs is indexed once."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h\d)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def strip_html(fragment: str) -> str:
    """Feed summaries are small HTML fragments: tags out, block ends kept as line breaks."""
    text = html.unescape(_TAG.sub(" ", _BREAK.sub("\n", fragment)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _stamp(path: Path) -> tuple[int, int] | None:
    """A file's (mtime, size), None when it is gone: what says it may have changed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _iso_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


class Watcher:
    """Polls the configured sources; one Watcher per Store, used from the Store's thread."""

    def __init__(
        self,
        store: Store,
        folders: list[Path],
        feeds: list[str],
        pages: list[str],
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        limits: FetchLimits | None = None,
        policy: AddressPolicy | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.store = store
        self.today = today
        self.limits = limits or FetchLimits()
        self.policy = policy or AddressPolicy()
        self.folders = [Path(f) for f in dict.fromkeys(folders)]
        self.feeds = list(dict.fromkeys(feeds))
        self.pages = list(dict.fromkeys(pages))
        self._own_client = client is None
        # Redirects are followed by store.fetch, which checks every hop's address.
        self.client = client or httpx.Client(headers={"User-Agent": USER_AGENT})
        self.clock = clock
        self._stats: dict[Path, tuple[int, int] | None] = {}
        self._failures: dict[str, int] = {}
        self._due: dict[str, float] = {}
        self._seen_ids: set[str] = set()
        # When the source being polled (a feed and the pages of its entries) must be done by,
        # on the real clock: the injected one only measures backoff.
        self._deadline = float("inf")
        # The pass under way, for a report when it is interrupted; None between passes.
        self.current: WatchReport | None = None

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def run(
        self,
        interval: float,
        stop: threading.Event | None = None,
        on_report: Callable[[WatchReport], None] | None = None,
    ) -> None:
        """Poll every `interval` seconds until `stop` is set; `on_report` sees each pass."""
        stop = stop or threading.Event()
        while not stop.is_set():
            report = self.poll_once()
            if on_report is not None:
                on_report(report)
            stop.wait(interval)

    def poll_once(self) -> WatchReport:
        """One pass over every source that is due.

        Folders first; then every feed and page is downloaded at once, in threads, and each is
        indexed (here, in the Store's thread) as soon as its answer is complete: a slow source
        delays nobody, and the pass lasts about as long as its slowest source."""
        report = self.current = WatchReport()
        self._seen_ids = set()  # ids handled this pass: one URL from two sources is read once
        for folder in self.folders:
            self._attempt(str(folder), report, lambda r, f=folder: self._poll_folder(f, r))
        web = [*(("feed", u) for u in self.feeds), *(("page", u) for u in self.pages)]
        due = [(kind, url) for kind, url in web if not self._waiting(url, report)]
        if due:
            pool = ThreadPoolExecutor(max_workers=min(len(due), PARALLEL_FETCHES))
            try:
                started = {}
                for kind, url in due:
                    deadline = time.monotonic() + self.limits.total
                    future = pool.submit(self._download, kind, url, self._validators(kind, url))
                    started[future] = (kind, url, deadline)
                for future in as_completed(started):
                    kind, url, self._deadline = started[future]
                    poll = self._poll_feed if kind == "feed" else self._poll_page
                    self._attempt(url, report, lambda r, p=poll, u=url, f=future: p(u, r, f))
            finally:  # on Ctrl-C, do not wait for the slowest download here
                pool.shutdown(wait=False, cancel_futures=True)
        self.current = None
        if report.new or report.changed:
            self.store.optimize()  # the planner's statistics follow what the file now holds
        return report

    # --- backoff ---------------------------------------------------------------------------

    def _waiting(self, name: str, report: WatchReport) -> bool:
        """Whether a source is still backing off (and noted as waiting in the report)."""
        if self.clock() < self._due.get(name, float("-inf")):
            report.sources_waiting.append(name)
            return True
        return False

    def _attempt(self, name: str, report: WatchReport, poll: Callable[[WatchReport], None]) -> bool:
        """Run one source's poll unless it is backing off; a failure is recorded, not raised."""
        if self._waiting(name, report):
            return False
        try:
            poll(report)
        except Exception as exc:  # any one source's failure must not stop the others
            reason = str(exc) if isinstance(exc, SourceError) else f"{type(exc).__name__}: {exc}"
            failures = self._failures.get(name, 0) + 1
            self._failures[name] = failures
            self._due[name] = self.clock() + backoff_delay(failures)
            report.sources_failed[name] = reason
            log.warning("%s failed (%d in a row): %s", name, failures, reason)
            return False
        self._failures.pop(name, None)
        self._due.pop(name, None)
        return True

    # --- folders ---------------------------------------------------------------------------

    def _poll_folder(self, folder: Path, report: WatchReport) -> None:
        """Index the files that moved since they were last indexed.

        A file's (mtime, size) is remembered only once it is indexed (or reported unreadable),
        so a failure half-way through a pass leaves the rest to be read on the next one.
        """
        if not folder.is_dir():
            raise SourceError("no such folder")
        manifest_path = folder / MANIFEST
        manifest_stamp = _stamp(manifest_path)
        # New manifest metadata changes every listed article's hash: re-read them all then.
        manifest_changed = self._stats.get(manifest_path) != manifest_stamp
        stamps = {f: _stamp(f) for f in article_files(folder)}
        files = [f for f, st in stamps.items() if manifest_changed or self._stats.get(f) != st]
        if not files and not manifest_changed:
            return
        manifest, errors = read_manifest(folder)
        if manifest_changed:
            index_articles(self.store, errors, report)
        for file in files:
            row = manifest_row(manifest, file, folder)
            item = read_article(file, row, root=folder, today=self.today())
            index_articles(self.store, [item], report)
            self._stats[file] = stamps[file]
        self._stats[manifest_path] = manifest_stamp

    # --- web -------------------------------------------------------------------------------

    def _validators(self, kind: str, url: str) -> dict[str, str]:
        """The conditional-request headers from the last answer (read in the Store's thread)."""
        headers = {}
        if etag := self.store.meta(f"{kind}:{url}:etag"):
            headers["If-None-Match"] = etag
        if modified := self.store.meta(f"{kind}:{url}:last_modified"):
            headers["If-Modified-Since"] = modified
        return headers

    def _fetch(self, kind: str, url: str) -> Fetched | None:
        """GET with the validators of the last answer; None when the server says 304."""
        return self._download(kind, url, self._validators(kind, url), self._deadline)

    def _download(
        self, kind: str, url: str, headers: dict[str, str], deadline: float | None = None
    ) -> Fetched | None:
        """The bounded GET itself, touching no database: it may run in a thread."""
        try:
            response = fetch(self.client, url, headers, self.limits, self.policy, deadline)
        except FetchError as exc:
            raise SourceError(str(exc)) from exc
        if response.status == 304:
            return None
        if response.status >= 400:
            raise SourceError(f"HTTP {response.status}")
        return response

    def _remember(self, kind: str, url: str, response: Fetched) -> None:
        """Store validators only once the content is indexed, so a crash means a re-read."""
        for header, name in (("etag", "etag"), ("last-modified", "last_modified")):
            if value := response.headers.get(header):
                self.store.set_meta(f"{kind}:{url}:{name}", value)

    def _index_web(self, article: Article, report: WatchReport) -> None:
        """Index one web article unless this pass saw its URL or another URL has its text."""
        if article.id in self._seen_ids:
            return
        self._seen_ids.add(article.id)
        if reason := implausible(article.published, self.today()):
            report.failed += 1
            report.problems.append(f"{article.url}: {reason}")
            return
        key = f"text:{text_key(article.text)}"
        owner = self.store.meta(key)
        if owner is not None and owner != article.id:
            report.duplicates += 1
            return
        index_articles(self.store, [article], report)
        if owner is None and self.store.article_hash(article.id) is not None:
            self.store.set_meta(key, article.id)

    def _poll_feed(
        self, url: str, report: WatchReport, download: Future[Fetched | None] | None = None
    ) -> None:
        response = download.result() if download is not None else self._fetch("feed", url)
        if response is None:
            return
        # A stream, never bytes: feedparser opens a bytes "document" that names a file. The body
        # is decompressed already: feedparser must not see the Content-Encoding.
        headers = {
            k.lower(): v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length")
        }
        parsed = feedparser.parse(io.BytesIO(response.content), response_headers=headers)
        # An HTML error page parses "successfully" as nothing: no version and no entries.
        if not parsed.entries and (parsed.bozo or not parsed.version):
            raise SourceError(f"not a feed: {parsed.get('bozo_exception') or 'no RSS or Atom'}")
        publisher = strip_html(parsed.feed.get("title", ""))
        complete = True
        for entry in parsed.entries:
            complete &= self._poll_entry(entry, publisher, report)
        # An entry whose page failed is retried by re-reading the whole feed next pass.
        if complete:
            self._remember("feed", url, response)

    def _poll_entry(self, entry: Any, publisher: str, report: WatchReport) -> bool:
        """Index one feed entry; False when its page had to be read and could not be."""
        link = entry.get("link") or ""
        if not link:
            report.warnings.append(f"feed entry without a link skipped: {entry.get('title')!r}")
            return True
        try:
            self.policy.check_link(link)
        except FetchError as exc:
            report.warnings.append(f"feed entry skipped: {exc}")
            return True
        title = strip_html(entry.get("title", ""))
        contents = [c.get("value", "") for c in entry.get("content", [])]
        body = strip_html(max([entry.get("summary", ""), *contents], key=len))
        if len(body) >= MIN_ENTRY_TEXT:
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            article = Article(
                id=web_id(link),
                text=f"{title}\n{body}" if title else body,
                published=date(*stamp[:3]) if stamp else None,
                title=title,
                url=link,
                publisher=publisher,
                published_source="feed" if stamp else "unknown",
            )
            self._index_web(article, report)
            return True
        if self.store.article_hash(web_id(link)) is not None:
            report.unchanged += 1  # its page was read on an earlier pass
            return True
        return self._attempt(link, report, lambda r: self._poll_page(link, r, None, publisher))

    def _poll_page(
        self,
        url: str,
        report: WatchReport,
        download: Future[Fetched | None] | None = None,
        publisher: str = "",
    ) -> None:
        response = download.result() if download is not None else self._fetch("page", url)
        if response is None:
            return
        # Bytes unless the server named a charset: trafilatura then reads <meta charset>.
        page = response.text() if response.charset else response.content
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True)
        if doc is None:
            raise SourceError("no article text found in the page")
        meta = doc if isinstance(doc, dict) else doc.as_dict()
        body = (meta.get("text") or "").strip()
        if not body:
            raise SourceError("no article text found in the page")
        title = (meta.get("title") or "").strip()
        published = _iso_day(meta.get("date"))
        # trafilatura often keeps the page's <h1> as the first line: do not say it twice.
        if title and not body.startswith(title):
            body = f"{title}\n{body}"
        article = Article(
            id=web_id(url),
            text=body,
            published=published,
            title=title,
            url=url,
            publisher=meta.get("sitename") or publisher or meta.get("hostname") or "",
            published_source="page" if published else "unknown",
        )
        self._index_web(article, report)
        self._remember("page", url, response)
