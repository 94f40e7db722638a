"""Articles in, events stored: ingest → extract → merge into the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from store.db import Store, content_hash
from store.extract import extract_events
from store.ingest import IngestError
from store.models import Article


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


def index_articles(
    store: Store, items: Iterable[Article | IngestError], report: IndexReport | None = None
) -> IndexReport:
    """Index every readable article; an unreadable one is reported and skipped, never fatal.

    Counts go into `report` when given (sitrep watch sums a whole pass in one report).
    """
    report = report if report is not None else IndexReport()
    gazetteer = store.gazetteer()
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
        counts = store.replace_article(item, result.candidates)
        if counts is None:  # another indexer stored this very version meanwhile
            report.unchanged += 1
            continue
        if previous is None:
            report.new += 1
        else:
            report.changed += 1
        report.events_added += counts["added"]
        report.events_updated += counts["updated"]
        report.events_removed += counts["removed"]
    return report
