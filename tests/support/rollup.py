"""Ten communes' data packages for the receiving-mode tests (built once per process),
from the generated plans of ``benchmarks.synthetic.rollup_draft`` with the figures of
``benchmarks.rollup_data.fill_commune`` (deterministic: the tests compute the expected
roll-up by hand), exported with the exchange's ``export_package``."""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

from support.paths import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.rollup_data import TODAY, commune_package, empty_template, open_commune, period_of

COMMUNES = 10
__all__ = ["COMMUNES", "TODAY", "commune_sources", "open_commune", "packages_dir", "period_of", "received_copy"]


@cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="cds-rollup-packages-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


@cache
def packages_dir() -> Path:
    """A folder with ``xa-001.cdspkg`` … ``xa-010.cdspkg`` (never change it: copy files out of it)."""
    root = _root()
    template = empty_template(root / "empty")
    out = root / "packages"
    for index in range(COMMUNES):
        commune_package(template, root / "communes", index, out, locals_per_pillar=1)
    return out


def commune_sources() -> Path:
    """The communes' own data directories (as they were when exported)."""
    packages_dir()
    return _root() / "communes"


@cache
def _received_template() -> Path:
    """A data directory that has received the ten packages (built once; never opened afterwards)."""
    from cds_desktop.database import open_database
    from cds_desktop.rollup.importing import import_packages
    from support import postgres

    folder = _root() / "received"
    with postgres.prefix(postgres.worker_prefix() + "keep_"):  # on PostgreSQL: outlives the test that builds it
        db = open_database(folder)
    try:
        batch = import_packages(db, packages_dir(), today=TODAY, trust_new=True)
        assert not batch.failed, batch.summary()
    finally:
        db.close()
    return folder


def received_copy(dest: Path):
    """An open database (a copy of the received template at *dest*); the caller closes it."""
    from cds_desktop.database import open_database
    from support.databases import copy_data_dir

    copy_data_dir(_received_template(), dest)
    return open_database(dest)
