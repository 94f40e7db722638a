"""Dump every candidate the extractor returns, as JSON lines, to check a refactor changes nothing.

Every candidate is written, including those under the confidence cut, with the warnings of
each article, in a fixed order. Run it before and after a change and compare the files byte for
byte (`cmp before.jsonl after.jsonl`). Inputs: the seeds, both gold files, a generated corpus
folder if given (`bench/corpus.py`), and, if given, real text read at run time from
../shared/data (RUWA headlines + leads, ACLED notes): never copied into the project.

    PYTHONPATH=. python bench/corpus.py /tmp/sitrep-corpus-real -n 5000 \
        --news-csv ../shared/data/ruwa_news_en_2022-02-24_2022-04-30.csv
    PYTHONPATH=. python bench/candidate_dump.py /tmp/before.jsonl --corpus /tmp/sitrep-corpus-real \
        --ruwa ../shared/data/ruwa_news_en_2022-02-24_2022-04-30.csv \
        --acled ../shared/data/acled_dev_ukraine_2022.csv
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from judge_sample import ruwa_articles  # bench/ is the script's folder: sys.path[0]

from store.db import Store
from store.evaluate import read_gold
from store.extract import extract_events
from store.ingest import IngestError, iter_articles
from store.models import Article

ROOT = Path(__file__).resolve().parent.parent


def gold_articles(path: Path) -> Iterator[Article]:
    for item in read_gold(path):
        published = item.get("published")
        yield Article(
            id=f"{path.name}:{item['id']}",
            text=item["text"],
            published=date.fromisoformat(published) if published else None,
        )


def acled_articles(path: Path) -> Iterator[Article]:
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            published = date.fromisoformat(row["event_date"]) + timedelta(days=i % 3)
            yield Article(id=f"acled:{i}", text=row["notes"], published=published)


def folder_articles(folder: Path) -> Iterator[Article]:
    for item in iter_articles([folder]):
        if not isinstance(item, IngestError):
            yield item


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, help="a folder written by bench/corpus.py")
    parser.add_argument("--ruwa", type=Path, help="the RUWA news CSV in ../shared/data")
    parser.add_argument("--acled", type=Path, help="the ACLED dev CSV in ../shared/data")
    args = parser.parse_args(argv)
    gazetteer = Store(":memory:").gazetteer()
    sources: list[Iterator[Article]] = [
        folder_articles(ROOT / "seeds"),
        gold_articles(ROOT / "tests/gold/seeds.jsonl"),
        gold_articles(ROOT / "tests/gold/sentences.jsonl"),
    ]
    if args.corpus:
        sources.append(folder_articles(args.corpus))
    if args.ruwa:
        sources.append(ruwa_articles(args.ruwa))
    if args.acled:
        sources.append(acled_articles(args.acled))
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for source in sources:
            for article in source:
                result = extract_events(article, gazetteer)
                for warning in result.warnings:
                    out.write(json.dumps({"article": article.id, "warning": warning}) + "\n")
                for candidate in result.candidates:
                    row = dataclasses.asdict(candidate)
                    out.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
                    count += 1
    print(f"{count} candidates written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
