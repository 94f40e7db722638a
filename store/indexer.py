"""Articles in, events stored: ingest → extract → merge into the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from store.db import Store, content_hash
from store.extract import extract_events
from store.ingest import IngestError
from store.models import Article, Candidate


@dataclass
class IndexReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    events_added: int = 0
    events_updated: int = 0
    events_removed: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        line = (
            f"articles: {self.new} new, {self.changed} changed, {self.unchanged} unchanged,"
            f" {self.failed} failed; events: {self.events_added} added,"
            f" {self.events_updated} updated, {self.events_removed} removed"
        )
        if self.new == self.changed == 0 and self.failed == 0:
            line += " (nothing to do: every article was already indexed)"
        return line


# Articles stored in one write transaction: a commit copies every page it changed into the
# WAL, and an article's events, mentions, counts and search rows share most of their pages
# with the articles before it, so 32 a commit write each page once, not 32 times (~0.25 ms CPU
# an article over the real-text corpus). Extraction runs before the lock is taken: the file is
# locked for the writes alone (~2 ms an article, some 70 ms a batch).
BATCH = 32


def index_articles(
    store: Store, items: Iterable[Article | IngestError], report: IndexReport | None = None
) -> IndexReport:
    """Index every readable article; an unreadable one is reported and skipped, never fatal.

    Counts go into `report` when given (sitrep watch sums a whole pass in one report).
    """
    report = report if report is not None else IndexReport()
    gazetteer = store.gazetteer()
    batch: list[tuple[Article, list[Candidate]]] = []
    for item in items:
        if isinstance(item, IngestError):
            report.failed += 1
            report.problems.append(f"{item.path}: {item.reason}")
            continue
        previous = store.article_hash(item.id)
        if previous == content_hash(item):
            report.unchanged += 1
            continue
        try:
            result = extract_events(item, gazetteer)
        except Exception as exc:  # one bad article must not stop the others
            report.failed += 1
            report.problems.append(f"{item.path or item.id}: extraction failed: {exc!r}")
            continue
        report.warnings.extend(item.warnings)
        report.warnings.extend(result.warnings)
        batch.append((item, result.candidates))
        if len(batch) == BATCH:
            _store(store, batch, report)
            batch = []
    _store(store, batch, report)
    return report


def _store(store: Store, batch: list[tuple[Article, list[Candidate]]], report: IndexReport) -> None:
    """One transaction for the batch: a crash leaves each of its articles' earlier version."""
    if not batch:
        return
    with store.write_batch():
        for article, candidates in batch:
            new = store.article_hash(article.id) is None  # (a batch may hold two versions)
            counts = store.replace_article(article, candidates)
            if counts is None:  # another indexer stored this very version meanwhile
                report.unchanged += 1
                continue
            if new:
                report.new += 1
            else:
                report.changed += 1
            report.events_added += counts["added"]
            report.events_updated += counts["updated"]
            report.events_removed += counts["removed"]
