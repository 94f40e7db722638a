"""The `sitrep` entry point, run as a subprocess against temporary database files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store.db import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOOD_ARTICLE = (
    "date 2022-03-10\n"
    "A Russian missile strike hit a school in Kharkiv on Thursday, the regional governor said.\n"
)


def env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITREP_DB", "TELEGRAM_BOT_TOKEN")}
    clean["PYTHONPATH"] = str(ROOT)
    clean.update(extra)
    return clean


def sitrep(*args: str, db: Path | None = None, stdin: str | None = None, **kwargs):
    command = [sys.executable, "-m", "bot.cli"]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=kwargs.pop("env", env()),
        **kwargs,
    )


def events_in(path: Path) -> int:
    store = Store(path)
    try:
        return store.db.execute("select count(*) from events").fetchone()[0]
    finally:
        store.close()


@pytest.fixture
def seeded_copy(seeded_db, tmp_path) -> Path:
    path = tmp_path / "seeded.db"
    shutil.copy(seeded_db, path)
    return path


def test_ask_city_on_first_use_indexes_the_seeds_and_lists_events(db_path):
    result = sitrep("ask", "/city Kharkiv", db=db_path)
    assert result.returncode == 0, result.stderr
    assert "First use: indexed seeds/" in result.stderr
    out = result.stdout
    assert out.startswith("Kharkiv — ")
    assert re.search(r"— (Tue|Wed|Thu) [123] Mar 2022 —", out)  # grouped by day
    assert out.count("Sources (") == 5
    assert "Russian troops have occupied govt building in Kharkiv" in out
    assert "[▶]" in out  # the button, as the console shows it
    # Plain text: no tags, no HTML entities.
    assert not re.search(r"</?(b|i|a)\b|&(amp|lt|gt|quot|#x27);", out)
    assert "Ukraine's" in out
    assert events_in(db_path) > 0


def test_ask_date(seeded_copy):
    result = sitrep("ask", "/date 2022-03-02", db=seeded_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Events on Wed 2 Mar 2022 — ")
    assert set(re.findall(r"^— (.*) —$", result.stdout, re.M)) == {"Wed 2 Mar 2022"}
    assert result.stderr == ""  # already indexed: no first-use note


def test_ask_without_a_slash_and_in_several_words(seeded_copy):
    result = sitrep("ask", "date", "2", "March", "2022", "Kharkiv", db=seeded_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Kharkiv on Wed 2 Mar 2022 — ")


def test_ask_unknown_place(seeded_copy):
    result = sitrep("ask", "/city Atlantis", db=seeded_copy)
    assert result.returncode == 0
    assert result.stdout.strip() == (
        "No place called 'Atlantis' that I know. Try /stats for the places I have."
    )


def test_ask_unknown_command_points_to_help(seeded_copy):
    result = sitrep("ask", "/nonsense", db=seeded_copy)
    assert result.returncode == 0
    assert result.stdout.strip() == "I don't know /nonsense. Send /help to see what I can do."


def test_index_twice_adds_nothing_the_second_time(db_path):
    first = sitrep("index", str(SEEDS), db=db_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("articles: 4 new, 0 changed, 0 unchanged, 0 failed;")
    events = events_in(db_path)
    assert events > 0

    second = sitrep("index", str(SEEDS), db=db_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("articles: 0 new, 0 changed, 4 unchanged, 0 failed;")
    assert "events: 0 added, 0 updated, 0 removed" in second.stdout
    assert "nothing to do" in second.stdout
    assert events_in(db_path) == events


def test_index_without_paths_indexes_the_seeds(db_path, tmp_path):
    result = sitrep("index", db=db_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4 new" in result.stdout


def test_index_reports_a_malformed_file_and_indexes_the_others(db_path, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00garbage \x00\x81")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    result = sitrep("index", str(folder), db=db_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("articles: 1 new, 0 changed, 0 unchanged, 2 failed;")
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == 2
    assert any("broken.txt" in line and "UTF-8" in line for line in skipped)
    assert any("empty.txt" in line and "empty" in line for line in skipped)
    assert "Traceback" not in result.stderr
    assert events_in(db_path) >= 1


def test_index_of_a_missing_path_fails(db_path, tmp_path):
    result = sitrep("index", str(tmp_path / "nowhere"), db=db_path)
    assert result.returncode != 0
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_pages_with_the_arrow_keys(seeded_copy):
    result = sitrep("chat", db=seeded_copy, stdin="/city Kharkiv\n>\n<\n/stats\n>\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("sitrep console")
    pages = re.findall(r"Kharkiv — \d+ events, page (\d+)/\d+", out)
    assert pages == ["1", "2", "1"]
    assert "Articles: 4" in out
    assert "No more pages." in out
    assert "Traceback" not in result.stderr


def test_chat_ends_quietly_at_end_of_input(seeded_copy):
    result = sitrep("chat", db=seeded_copy, stdin="")
    assert result.returncode == 0
    assert result.stderr == ""


def test_sitrep_db_environment_variable_is_honoured(seeded_db, tmp_path):
    path = tmp_path / "from-env.db"
    shutil.copy(seeded_db, path)
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = sitrep("ask", "/stats", env=env(SITREP_DB=str(path)), cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "Articles: 4" in result.stdout
    assert list(workdir.iterdir()) == [], "used ./sitrep.db instead of $SITREP_DB"


def test_db_option_wins_over_the_environment(seeded_db, tmp_path):
    chosen = tmp_path / "chosen.db"
    shutil.copy(seeded_db, chosen)
    other = tmp_path / "other.db"
    result = sitrep("ask", "/stats", db=chosen, env=env(SITREP_DB=str(other)))
    assert result.returncode == 0, result.stderr
    assert "Articles: 4" in result.stdout
    assert not other.exists()


def test_chat_presses_a_button_by_its_label_and_reads_plain_questions(seeded_copy):
    typed = "/date 2/3/2022\n2 Mar 2022\nKharkiv shelling\n/subscribe Kharkiv\n/subscriptions\n"
    result = sitrep("chat", db=seeded_copy, stdin=typed)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Did you mean 2 Mar 2022 or 3 Feb 2022?" in out
    assert re.search(r"Events on Wed 2 Mar 2022 — \d+ events", out), out
    assert re.search(r"Kharkiv · shelling — \d+ events", out), out
    assert "Subscribed to Kharkiv." in out and "• Kharkiv" in out
    assert "Traceback" not in result.stderr
