"""Shared fixtures: a gazetteer compiled once per session, fresh database files, the seeds."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from store.db import Store
from store.gazetteer import Gazetteer
from store.indexer import index_articles
from store.ingest import iter_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the gazetteer compiled: GeoNames is read once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    store = Store(path)
    store.gazetteer()
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    return path


@pytest.fixture(scope="session")
def gazetteer(template_db: Path) -> Gazetteer:
    return Store(template_db).gazetteer()


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A fresh database file (gazetteer compiled, no articles) for one test."""
    path = tmp_path / "sitrep.db"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def store(db_path: Path) -> Store:
    store = Store(db_path)
    yield store
    store.close()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    """A fresh database with the four seed articles indexed."""
    index_articles(store, iter_articles([SEEDS]))
    return store


@pytest.fixture(scope="session")
def seeded_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds indexed once per session; tests copy it rather than index again."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    shutil.copy(template_db, path)
    store = Store(path)
    index_articles(store, iter_articles([SEEDS]))
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


SEED_PUBLISHED = {
    "000_1f394e2e2019cd86": date(2022, 3, 3),
    "001_4ae3011501ea92e7": date(2022, 3, 3),
    "002_84f9446eafe82698": date(2022, 3, 2),
    "003_17c81901f7fafa9d": date(2022, 3, 2),
}
