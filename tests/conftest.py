"""Shared fixtures.  Qt runs offscreen for every test (set before Qt is imported)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CDS_DATABASE_URL", None)

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Copies of the real plans in ../shared/seeds, kept with the tests so they run anywhere.
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
BAT_TRANG_SEED = SEEDS / "004_c2f9f5085f71fe4f.txt"
PHU_DONG_SEED = SEEDS / "000_0b2d4eebbd1ce4dd.txt"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's data directory from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CDS_DATA_DIR", str(home / "data"))
    yield


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir):
    from cds_desktop.database import open_database

    database = open_database(data_dir)
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    from cds_desktop.services.demo import create_demo

    create_demo(db)
    return db


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
