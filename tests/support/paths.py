"""Where the tests' fixture files are.

Test modules import these from here, never from ``conftest``: a second
``conftest.py`` (tests/scenarios/) would shadow the name."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Copies of the real plans in ../shared/seeds, kept with the tests so they run anywhere.
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
BAT_TRANG_SEED = SEEDS / "004_c2f9f5085f71fe4f.txt"
PHU_DONG_SEED = SEEDS / "000_0b2d4eebbd1ce4dd.txt"
