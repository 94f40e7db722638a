"""Read articles from files and folders, with their publication metadata.

A folder may hold a `manifest.csv` (file, published, title, url, publisher) beside its `.txt`
articles. Without one, the publication date comes from a `date YYYY-MM-DD` header line, then a
dated lead or a full date in the text; failing all three the article is indexed with an unknown
date and a warning, never silently "today".
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from store.dates import publication_in_text
from store.models import Article

MANIFEST = "manifest.csv"
# Bigger than any news article or manifest; a file past it is not one (a log, a disk image).
MAX_ARTICLE_BYTES = 2 * 2**20
MAX_MANIFEST_BYTES = 32 * 2**20
HEADER = re.compile(r"^\s*date\s+(\d{4}-\d\d-\d\d)\b", re.I)
_MANIFEST_COLUMNS = ("file", "published", "title", "url", "publisher")


@dataclass(frozen=True)
class IngestError:
    """An article we could not read, and why, so the indexer can report it and go on."""

    path: str
    reason: str


class NotARegularFile(Exception):
    """A path that is a symbolic link, a device, a FIFO, a folder, or too big: never read."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, never through a symbolic link.

    O_NOFOLLOW refuses a link at the last step and the checks run on the opened file, so a
    file swapped for a link between a listing and the read is refused too; O_NONBLOCK keeps a
    FIFO from hanging the open.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotARegularFile("a symbolic link, not followed") from exc
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile("not a regular file")
        if info.st_size > limit:
            raise NotARegularFile(f"{info.st_size} bytes, over the {limit} byte limit")
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise NotARegularFile(f"over the {limit} byte limit")
    return raw


def read_manifest(folder: Path) -> tuple[dict[str, dict[str, str]], list[IngestError]]:
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return {}, []
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES)
    except NotARegularFile as exc:
        return {}, [IngestError(str(path), f"manifest skipped: {exc}")]
    except OSError as exc:
        return {}, [IngestError(str(path), f"cannot read the manifest: {exc.strerror or exc}")]
    rows: dict[str, dict[str, str]] = {}
    errors: list[IngestError] = []
    with io.StringIO(raw.decode("utf-8"), newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("file", "published") if c not in (reader.fieldnames or [])]
        if missing:
            return {}, [IngestError(str(path), f"manifest lacks columns: {', '.join(missing)}")]
        for line, row in enumerate(reader, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                errors.append(IngestError(f"{path}:{line}", "manifest row without a file name"))
                continue
            rows[name] = {c: (row.get(c) or "").strip() for c in _MANIFEST_COLUMNS}
    return rows, errors


def _published(value: str, where: str, warnings: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        warnings.append(f"{where}: published '{value}' is not YYYY-MM-DD; using the text")
        return None


def article_id(path: Path, root: Path | None = None) -> str:
    """The article's identity: its path below the indexed folder, without `.txt`.

    `kharkiv/report.txt` and `odesa/report.txt` under one folder are two articles; a file named
    on its own (no folder) is its bare name, as in earlier versions.
    """
    if root is not None:
        try:
            return path.relative_to(root).with_suffix("").as_posix()
        except ValueError:
            pass
    return path.stem


def manifest_row(
    manifest: dict[str, dict[str, str]], path: Path, root: Path
) -> dict[str, str] | None:
    """The manifest row for a file: by its path below the folder, else (directly in the folder,
    the seeds' format) by its bare file name."""
    relative = path.relative_to(root).as_posix()
    if relative in manifest:
        return manifest[relative]
    return manifest.get(path.name) if path.parent == root else None


def read_article(
    path: Path, meta: dict[str, str] | None = None, root: Path | None = None
) -> Article | IngestError:
    """One article file as an Article, or an IngestError saying what is wrong with it.

    `root` is the folder being indexed: the article's id is its path below it.
    """
    try:
        raw = read_regular(path, MAX_ARTICLE_BYTES)
    except NotARegularFile as exc:
        return IngestError(str(path), f"skipped: {exc}")
    except OSError as exc:
        return IngestError(str(path), f"cannot read: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return IngestError(str(path), "not UTF-8 text")
    if "\x00" in text:
        return IngestError(str(path), "binary file, not an article")
    if not text.strip():
        return IngestError(str(path), "empty file")
    meta = meta or {}
    warnings: list[str] = []
    published = _published(meta.get("published", ""), str(path), warnings)
    source = "manifest" if published else "unknown"
    header = HEADER.match(text)
    if published is None and header:
        published = publication_in_text(header.group(0))
        if published is None:
            warnings.append(f"{path}: header date '{header.group(1)}' does not exist")
        else:
            source = "header"
    if published is None:
        published = publication_in_text(text)
        source = "text" if published else "unknown"
    first_line = text[header.end() if header else 0 :].strip().splitlines()[0].strip()
    title = meta.get("title") or (first_line if len(first_line) < 160 else "")
    return Article(
        id=article_id(path, root),
        text=text,
        published=published,
        title=title,
        url=meta.get("url", ""),
        publisher=meta.get("publisher", ""),
        path=str(path),
        published_source=source,
        warnings=tuple(warnings),
    )


def article_files(folder: Path) -> list[Path]:
    """The `.txt` entries under a folder, in name order, without entering linked folders (a
    linked file is listed, to be reported and skipped by read_article)."""
    found = []
    for parent, _, names in os.walk(folder, followlinks=False):
        found += [Path(parent) / n for n in names if n.endswith(".txt")]
    return sorted(found)


def iter_articles(paths: list[Path]) -> Iterator[Article | IngestError]:
    """Every article under the given files and folders, folders in name order."""
    for path in paths:
        if path.is_dir():
            manifest, errors = read_manifest(path)
            yield from errors
            for file in article_files(path):
                yield read_article(file, manifest_row(manifest, file, path), root=path)
        elif path.is_file():
            manifest, _ = read_manifest(path.parent)
            yield read_article(path, manifest_row(manifest, path, path.parent), root=path.parent)
        else:
            yield IngestError(str(path), "no such file or folder")
