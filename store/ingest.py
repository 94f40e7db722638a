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
from datetime import date, timedelta
from pathlib import Path

from store.extract.dates import publication_in_text
from store.models import Article

MANIFEST = "manifest.csv"
# The war began in February 2014; nothing published before is news of it.
EARLIEST_PUBLISHED = date(2014, 1, 1)
# Bigger than any news article or manifest; a file past it is not one (a log, a disk image).
MAX_ARTICLE_BYTES = 2 * 2**20
MAX_MANIFEST_BYTES = 32 * 2**20
# A title, URL or publisher longer than this is not one; the row is reported and skipped.
MAX_MANIFEST_FIELD = 4096
# The csv module stops a whole file at a field over 128 KB; we check fields ourselves instead.
csv.field_size_limit(MAX_MANIFEST_BYTES)
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


def decode_manifest(raw: bytes) -> str:
    """A manifest as text: UTF-8 (with Excel's BOM or without), UTF-16 with a BOM, else
    Windows-1252 or Latin-1, which read any bytes."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_manifest(folder: Path) -> tuple[dict[str, dict[str, str]], list[IngestError]]:
    """The manifest's rows by file name; a bad row is reported and skipped, never the folder."""
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return {}, []
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES)
    except NotARegularFile as exc:
        return {}, [IngestError(str(path), f"manifest skipped: {exc}")]
    except OSError as exc:
        return {}, [IngestError(str(path), f"cannot read the manifest: {exc.strerror or exc}")]
    # strict: a row with broken quoting is an error we report, not a row read askew.
    reader = csv.DictReader(io.StringIO(decode_manifest(raw), newline=""), strict=True)
    try:
        fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as exc:
        return {}, [IngestError(str(path), f"manifest header unreadable: {exc}")]
    reader.fieldnames = fieldnames
    missing = [c for c in ("file", "published") if c not in fieldnames]
    if missing:
        return {}, [IngestError(str(path), f"manifest lacks columns: {', '.join(missing)}")]
    rows: dict[str, dict[str, str]] = {}
    errors: list[IngestError] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a NUL byte, an unclosed quote at the end: this row only
            errors.append(
                IngestError(f"{path}:{reader.line_num}", f"manifest row unreadable: {exc}")
            )
            continue
        where = f"{path}:{reader.line_num}"
        values = {c: (row.get(c) or "").strip() for c in _MANIFEST_COLUMNS}
        too_long = [c for c, v in values.items() if len(v) > MAX_MANIFEST_FIELD]
        if too_long:
            errors.append(
                IngestError(
                    where,
                    f"manifest row skipped: {too_long[0]} is over {MAX_MANIFEST_FIELD} characters",
                )
            )
        elif not values["file"]:
            errors.append(IngestError(where, "manifest row without a file name"))
        else:
            rows[values["file"]] = values
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


def implausible(published: date | None, today: date) -> str | None:
    """Why a publication date cannot be right for this war's news, or None when it can be.

    `today` comes from the caller (the CLI, the watcher): extraction never reads the clock."""
    if published is None:
        return None
    latest = today + timedelta(days=1)  # a day ahead: time zones, and a feed's "tomorrow"
    if EARLIEST_PUBLISHED <= published <= latest:
        return None
    return (
        f"published {published.isoformat()} is outside {EARLIEST_PUBLISHED.isoformat()}"
        f"..{latest.isoformat()} (before the war, or in the future)"
    )


def read_article(
    path: Path,
    meta: dict[str, str] | None = None,
    root: Path | None = None,
    today: date | None = None,
) -> Article | IngestError:
    """One article file as an Article, or an IngestError saying what is wrong with it.

    `root` is the folder being indexed: the article's id is its path below it. A manifest or
    header date outside EARLIEST_PUBLISHED..today+1 rejects the article (the operator fixes
    it); one found in the text is dropped with a warning.
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
    if reason := implausible(published, today or date.today()):
        if source != "text":
            return IngestError(str(path), f"{reason}, in the {source}")
        warnings.append(f"{path}: {reason}, in the text; indexed with an unknown date")
        published, source = None, "unknown"
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


def iter_articles(paths: list[Path], today: date | None = None) -> Iterator[Article | IngestError]:
    """Every article under the given files and folders, folders in name order."""
    today = today or date.today()
    for path in paths:
        if path.is_dir():
            manifest, errors = read_manifest(path)
            yield from errors
            for file in article_files(path):
                row = manifest_row(manifest, file, path)
                yield read_article(file, row, root=path, today=today)
        elif path.is_file():
            manifest, _ = read_manifest(path.parent)
            row = manifest_row(manifest, path, path.parent)
            yield read_article(path, row, root=path.parent, today=today)
        else:
            yield IngestError(str(path), "no such file or folder")
