"""Articles from files and folders, with their publication metadata."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import SEED_PUBLISHED

from store.ingest import (
    MAX_ARTICLE_BYTES,
    IngestError,
    iter_articles,
    read_article,
    read_manifest,
)
from store.models import Article

MANIFEST_HEADER = "file,published,title,url,publisher\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def articles(items) -> dict[str, Article]:
    return {a.id: a for a in items if isinstance(a, Article)}


def errors(items) -> list[IngestError]:
    return [e for e in items if isinstance(e, IngestError)]


# --- the seeds -----------------------------------------------------------------------------


def test_manifest_of_the_seeds(seeds_dir):
    rows, problems = read_manifest(seeds_dir)
    assert [] == problems
    assert {f"{i}.txt" for i in SEED_PUBLISHED} == set(rows)
    for article_id, published in SEED_PUBLISHED.items():
        assert published.isoformat() == rows[f"{article_id}.txt"]["published"]


def test_manifest_titles(seeds_dir):
    rows, _ = read_manifest(seeds_dir)
    assert (
        "Russian paratroopers land in Kharkiv, Ukraine military says"
        == rows["003_17c81901f7fafa9d.txt"]["title"]
    )


def test_seed_folder_reads_every_article_with_its_date(seeds_dir):
    items = list(iter_articles([seeds_dir]))
    assert [] == errors(items)
    found = articles(items)
    assert SEED_PUBLISHED == {k: a.published for k, a in found.items()}
    assert {"manifest"} == {a.published_source for a in found.values()}


def test_seed_articles_keep_text_and_path(seeds_dir):
    found = articles(iter_articles([seeds_dir]))
    article = found["002_84f9446eafe82698"]
    path = seeds_dir / "002_84f9446eafe82698.txt"
    assert path.read_text(encoding="utf-8") == article.text
    assert str(path) == article.path
    assert "Russian shelling destroys regional police department in Kharkiv" == article.title


def test_folder_order_is_by_name(seeds_dir):
    ids = [a.id for a in iter_articles([seeds_dir])]
    assert sorted(ids) == ids


def test_single_file_uses_the_manifest_beside_it(seeds_dir):
    items = list(iter_articles([seeds_dir / "000_1f394e2e2019cd86.txt"]))
    assert 1 == len(items)
    assert date(2022, 3, 3) == items[0].published
    assert "manifest" == items[0].published_source


# --- without a manifest --------------------------------------------------------------------


def test_header_date_without_manifest(tmp_path, seeds_dir):
    text = (seeds_dir / "003_17c81901f7fafa9d.txt").read_text(encoding="utf-8")
    article = read_article(write(tmp_path, "003.txt", text))
    assert date(2022, 3, 2) == article.published


def test_header_date_is_recorded_as_header_source(tmp_path):
    article = read_article(write(tmp_path, "a.txt", "date 2022-03-02 KYIV: Shelling hit Kharkiv."))
    assert (date(2022, 3, 2), "header") == (article.published, article.published_source)


def test_dated_lead_without_manifest(tmp_path):
    article = read_article(write(tmp_path, "a.txt", "24.04.22 23:17 - Shelling hit Kharkiv."))
    assert date(2022, 4, 24) == article.published


def test_full_date_in_text_without_manifest(tmp_path):
    path = write(tmp_path, "a.txt", "Shelling hit Kharkiv on March 2, 2022, officials said.")
    article = read_article(path)
    assert (date(2022, 3, 2), "text") == (article.published, article.published_source)


def test_unknown_date_is_none_never_today(tmp_path):
    article = read_article(write(tmp_path, "a.txt", "Shelling hit Kharkiv on Tuesday."))
    assert (None, "unknown") == (article.published, article.published_source)


def test_title_without_manifest_skips_the_date_header(tmp_path):
    path = write(tmp_path, "a.txt", "date 2022-03-02 KYIV: Shelling hit Kharkiv.\nMore text.")
    assert not read_article(path).title.startswith("date")


@pytest.mark.parametrize(
    "text",
    [
        "date 2022-02-30 KYIV: Shelling hit Kharkiv.",
        "date 2022-19-01 KYIV: Shelling hit Kharkiv.",
        "31.02.22 23:17 - Shelling hit Kharkiv.",
    ],
)
def test_impossible_date_in_text_is_not_fatal(tmp_path, text):
    result = read_article(write(tmp_path, "a.txt", text))
    assert isinstance(result, (Article, IngestError))
    if isinstance(result, Article):
        assert result.published is None


def test_impossible_header_date_does_not_stop_the_folder(tmp_path):
    write(tmp_path, "a.txt", "date 2022-02-30 KYIV: Shelling hit Kharkiv.")
    write(tmp_path, "b.txt", "date 2022-03-02 KYIV: Shelling hit Kharkiv.")
    items = list(iter_articles([tmp_path]))
    assert date(2022, 3, 2) == articles(items)["b"].published


def test_title_from_first_line_without_manifest(tmp_path):
    article = read_article(write(tmp_path, "a.txt", "Kharkiv shelled\nShelling hit Kharkiv."))
    assert "Kharkiv shelled" == article.title


def test_id_is_the_file_stem(tmp_path):
    assert "my_article" == read_article(write(tmp_path, "my_article.txt", "Text.")).id


def test_utf8_bom_is_dropped(tmp_path):
    article = read_article(write(tmp_path, "a.txt", "\ufeffShelling hit Kharkiv.".encode()))
    assert "Shelling hit Kharkiv." == article.text


# --- manifests -----------------------------------------------------------------------------


def test_manifest_date_wins_over_text(tmp_path):
    write(tmp_path, "manifest.csv", MANIFEST_HEADER + "a.txt,2022-03-03,Title,http://x,Pub\n")
    write(tmp_path, "a.txt", "date 2022-03-02 Shelling hit Kharkiv.")
    article = articles(iter_articles([tmp_path]))["a"]
    assert (date(2022, 3, 3), "manifest") == (article.published, article.published_source)
    assert ("Title", "http://x", "Pub") == (article.title, article.url, article.publisher)


@pytest.mark.parametrize("bad", ["03/02/2022", "2 March 2022", "2022-13-45", "yesterday"])
def test_manifest_with_bad_date_falls_back_to_the_text(tmp_path, bad):
    write(tmp_path, "manifest.csv", MANIFEST_HEADER + f'a.txt,"{bad}",Title,,\n')
    write(tmp_path, "a.txt", "date 2022-03-02 Shelling hit Kharkiv.")
    article = articles(iter_articles([tmp_path]))["a"]
    assert date(2022, 3, 2) == article.published
    assert "manifest" != article.published_source


def test_manifest_with_bad_date_warns(tmp_path):
    write(tmp_path, "manifest.csv", MANIFEST_HEADER + "a.txt,03/02/2022,Title,,\n")
    write(tmp_path, "a.txt", "date 2022-03-02 Shelling hit Kharkiv.")
    article = articles(iter_articles([tmp_path]))["a"]
    assert any("03/02/2022" in w for w in article.warnings)


def test_manifest_with_bad_date_and_no_date_in_text_is_unknown(tmp_path):
    write(tmp_path, "manifest.csv", MANIFEST_HEADER + "a.txt,soon,Title,,\n")
    write(tmp_path, "a.txt", "Shelling hit Kharkiv on Tuesday.")
    assert articles(iter_articles([tmp_path]))["a"].published is None


def test_manifest_with_empty_date_falls_back_to_the_text(tmp_path):
    write(tmp_path, "manifest.csv", MANIFEST_HEADER + "a.txt,,Title,,\n")
    write(tmp_path, "a.txt", "date 2022-03-02 Shelling hit Kharkiv.")
    assert date(2022, 3, 2) == articles(iter_articles([tmp_path]))["a"].published


def test_manifest_without_published_column_is_an_error(tmp_path):
    write(tmp_path, "manifest.csv", "file,title\na.txt,Title\n")
    write(tmp_path, "a.txt", "date 2022-03-02 Shelling hit Kharkiv.")
    items = list(iter_articles([tmp_path]))
    assert 1 == len(errors(items))
    assert "published" in errors(items)[0].reason
    assert ["a"] == list(articles(items))


def test_manifest_row_without_file_name_is_an_error(tmp_path):
    write(tmp_path, "manifest.csv", MANIFEST_HEADER + ",2022-03-02,Title,,\n")
    rows, problems = read_manifest(tmp_path)
    assert {} == rows
    assert 1 == len(problems)


def test_no_manifest_is_fine(tmp_path):
    assert ({}, []) == read_manifest(tmp_path)


# --- malformed files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason_word"),
    [
        (b"", "empty"),
        (b"   \n\n\t  \n", "empty"),
        (b"\x00\x01\x02\x03binary\x00data", "binary"),
        (b"Shelling hit Kharkiv.\x00", "binary"),
        (b"Kyiv caf\xe9 shelled \xff\xfe", "UTF-8"),
        ("Shelling hit Kharkiv.".encode("utf-16"), "UTF-8"),
    ],
)
def test_malformed_file_is_an_ingest_error(tmp_path, content, reason_word):
    result = read_article(write(tmp_path, "bad.txt", content))
    assert isinstance(result, IngestError)
    assert reason_word.lower() in result.reason.lower()
    assert str(tmp_path / "bad.txt") == result.path


def test_malformed_files_do_not_stop_the_folder(tmp_path, seeds_dir):
    for path in seeds_dir.iterdir():
        write(tmp_path, path.name, path.read_bytes())
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "binary.txt", b"\x00\x01\x02")
    write(tmp_path, "latin1.txt", "Kyiv café shelled".encode("latin-1"))
    items = list(iter_articles([tmp_path]))
    assert set(SEED_PUBLISHED) == set(articles(items))
    assert {"empty.txt", "binary.txt", "latin1.txt"} == {Path(e.path).name for e in errors(items)}


def test_missing_path_is_an_ingest_error(tmp_path):
    items = list(iter_articles([tmp_path / "nope"]))
    assert 1 == len(items)
    assert isinstance(items[0], IngestError)
    assert str(tmp_path / "nope") == items[0].path


def test_missing_path_does_not_stop_the_others(tmp_path, seeds_dir):
    items = list(iter_articles([tmp_path / "nope", seeds_dir]))
    assert 1 == len(errors(items))
    assert 4 == len(articles(items))


def test_unreadable_folder_entry_is_an_ingest_error(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    result = read_article(tmp_path / "dir.txt")
    assert isinstance(result, IngestError)


def test_articles_in_subfolders_are_read_under_their_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.txt", "date 2022-03-02 Shelling hit Kharkiv.")
    assert ["sub/a"] == list(articles(iter_articles([tmp_path])))


def test_two_files_of_one_name_in_two_folders_are_two_articles(tmp_path):
    for town in ("kharkiv", "odesa"):
        (tmp_path / town).mkdir()
        write(tmp_path / town, "report.txt", f"date 2022-03-02 Shelling hit {town.title()}.")
    first = articles(iter_articles([tmp_path]))
    assert ["kharkiv/report", "odesa/report"] == sorted(first)
    assert first == articles(iter_articles([tmp_path]))  # the same ids on every run


def test_a_subfolder_file_takes_its_manifest_row_by_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.txt", "Shelling hit Kharkiv.")
    write(tmp_path, "manifest.csv", "file,published,title\nsub/a.txt,2022-03-04,Sub title\n")
    (article,) = articles(iter_articles([tmp_path])).values()
    assert (date(2022, 3, 4), "Sub title") == (article.published, article.title)


def test_only_txt_files_are_articles(tmp_path):
    write(tmp_path, "notes.md", "Shelling hit Kharkiv.")
    write(tmp_path, "a.txt", "Shelling hit Kharkiv.")
    assert ["a"] == [a.id for a in iter_articles([tmp_path])]


# --- what is never read -------------------------------------------------------------------------


def test_a_linked_file_is_reported_and_never_read(tmp_path):
    secret = tmp_path / "outside" / ".env"
    secret.parent.mkdir()
    secret.write_text("TELEGRAM_BOT_TOKEN=123:secret\n", encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "a.txt", "date 2022-03-02 Shelling hit Kharkiv.")
    (folder / "env.txt").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    items = list(iter_articles([folder]))
    assert ["a"] == list(articles(items))
    assert {"env.txt", "passwd.txt"} == {Path(e.path).name for e in errors(items)}
    assert all("symbolic link" in e.reason for e in errors(items))
    assert all("secret" not in a.text for a in articles(items).values())


def test_a_linked_folder_is_not_entered(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside, "b.txt", "date 2022-03-02 Shelling hit Odesa.")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "more").symlink_to(outside, target_is_directory=True)
    assert ([], []) == (list(articles(iter_articles([folder]))), errors(iter_articles([folder])))


def test_a_linked_manifest_is_refused(tmp_path):
    (tmp_path / "real.csv").write_text("file,published\na.txt,2022-03-02\n", encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "manifest.csv").symlink_to(tmp_path / "real.csv")
    rows, problems = read_manifest(folder)
    assert ({}, ["manifest skipped: a symbolic link, not followed"]) == (
        rows,
        [e.reason for e in problems],
    )


def test_a_fifo_and_an_oversized_file_are_skipped_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "huge.txt").write_bytes(b"Shelling hit Kharkiv. " * (MAX_ARTICLE_BYTES // 20))
    reasons = {Path(e.path).name: e.reason for e in errors(iter_articles([tmp_path]))}
    assert "not a regular file" in reasons["pipe.txt"]
    assert "over the" in reasons["huge.txt"]


# --- implausible dates, awkward manifests ---------------------------------------------------------

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "published, ok",
    [
        ("2014-01-01", True),
        ("2026-12-02", True),
        ("2013-12-31", False),
        ("2026-12-03", False),
        ("9999-12-31", False),
        ("1970-01-01", False),
    ],
)
def test_a_manifest_date_outside_the_war_rejects_the_article_with_a_reason(tmp_path, published, ok):
    write(tmp_path, "a.txt", "Shelling hit Kharkiv.")
    write(tmp_path, "manifest.csv", f"file,published\na.txt,{published}\n")
    [item] = list(iter_articles([tmp_path], today=TODAY))
    assert ok == isinstance(item, Article)
    if not ok:
        assert f"published {published} is outside 2014-01-01..2026-12-02" in item.reason


def test_a_header_date_in_the_future_rejects_the_article(tmp_path):
    write(tmp_path, "a.txt", "date 2031-03-03\nShelling hit Kharkiv.")
    [item] = list(iter_articles([tmp_path], today=TODAY))
    assert isinstance(item, IngestError) and "2031-03-03 is outside" in item.reason


def test_a_year_9999_never_becomes_a_publication_date(tmp_path):
    write(tmp_path, "a.txt", "date 9999-12-31\nShelling hit Kharkiv.")
    write(tmp_path, "b.txt", "Shelling hit Kharkiv.")
    write(tmp_path, "manifest.csv", "file,published\nb.txt,9999-12-31\n")
    items = list(iter_articles([tmp_path], today=TODAY))
    assert [None] == [a.published for a in articles(items).values()]
    assert ["b.txt"] == [Path(e.path).name for e in errors(items)]


def test_an_implausible_date_found_in_the_text_is_dropped_with_a_warning(tmp_path):
    write(tmp_path, "a.txt", "Kharkiv, 3 March 2031 - Shelling hit Kharkiv on Thursday.")
    [item] = list(iter_articles([tmp_path], today=TODAY))
    assert (None, "unknown") == (item.published, item.published_source)
    assert any("2031-03-03 is outside" in w for w in item.warnings)


@pytest.mark.parametrize(
    "encoding, title",
    [
        ("utf-8-sig", "Обстріл Харкова"),
        ("utf-16", "Обстріл Харкова"),
        ("latin-1", "Café à Kyiv"),
        ("cp1252", "“Kyiv” – café"),
    ],
)
def test_manifests_in_excel_and_windows_encodings_are_read(tmp_path, encoding, title):
    text = f"file,published,title\r\na.txt,2022-03-04,{title}\r\n"
    (tmp_path / "manifest.csv").write_bytes(text.encode(encoding))
    rows, problems = read_manifest(tmp_path)
    assert ([], "2022-03-04", title) == (
        problems,
        rows["a.txt"]["published"],
        rows["a.txt"]["title"],
    )


def test_an_over_long_field_skips_its_row_only(tmp_path):
    huge = "x" * 200_000
    write(
        tmp_path,
        "manifest.csv",
        f"file,published,title\na.txt,2022-03-04,{huge}\nb.txt,2022-03-05,B\n",
    )
    rows, problems = read_manifest(tmp_path)
    assert ["b.txt"] == list(rows)
    assert ["manifest row skipped: title is over 4096 characters"] == [p.reason for p in problems]


def test_an_unreadable_row_skips_that_row_only(tmp_path):
    (tmp_path / "manifest.csv").write_bytes(
        b'file,published\na.txt,2022-03-04\nb.txt,"2022-03-05"x\nc.txt,2022-03-06\n'
    )
    rows, problems = read_manifest(tmp_path)
    assert ["a.txt", "c.txt"] == list(rows)
    assert 1 == len(problems) and "unreadable" in problems[0].reason
