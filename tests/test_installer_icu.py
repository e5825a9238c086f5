"""The frozen Linux app's smaller ICU data (installer/icu_data.py): which items go, and that Qt
sorts Vietnamese, upper-cases and names time zones the same with the trimmed library."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

_spec = importlib.util.spec_from_file_location("icu_data", ROOT / "installer" / "icu_data.py")
icu_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icu_data)

# Qt through ICU: Vietnamese collation, case mapping of vi and tr, a time zone's Vietnamese name;
# the last line names the libicudata file the process mapped.
PROBE = """
from PySide6.QtCore import QCollator, QLocale, QTimeZone
words = ["Đông", "đào", "Dung", "ăn", "âm", "an", "Ơn", "ốc", "o", "Ư", "u", "Yên", "Ý", "Hải", "Hà"]
print(sorted(words, key=QCollator(QLocale("vi_VN")).sortKey))
print(sorted(words, key=QCollator(QLocale("en_US")).sortKey))
print(QLocale("vi_VN").toUpper("đường ưu tiên"), QLocale("tr_TR").toUpper("istanbul"))
zone = QTimeZone(b"Asia/Ho_Chi_Minh")
print(zone.displayName(QTimeZone.StandardTime, QTimeZone.LongName, QLocale("vi_VN")))
print(sorted({line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line}))
"""


def test_only_other_languages_converters_transliterators_and_names_are_dropped():
    for item in ("coll/de.res", "coll/de_.res", "coll/es__TRADITIONAL.res", "zone/fr_CA.res", "ja.res",
                 "ibm-943_P15A-2003.cnv", "gb18030.cnv", "translit/root.res", "unames.icu", "curr/zh_Hant.res"):
        assert icu_data.dropped(item), item
    for item in ("root.res", "vi.res", "vi_VN.res", "en_US_POSIX.res", "coll/vi.res", "coll/root.res",
                 "coll/ucadata.icu", "coll/res_index.res", "pool.res", "brkitr/cjdict.dict", "brkitr/word.brk",
                 "zoneinfo64.res", "supplementalData.res", "metaZones.res", "uts46.nrm", "cnvalias.icu"):
        assert not icu_data.dropped(item), item


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt links ICU only on Linux")
def test_qt_gives_the_same_results_with_the_trimmed_icu_data(tmp_path):
    import PySide6

    libraries = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    assert libraries, "the PySide6 wheel has no libicudata"
    missing = [tool for tool in icu_data.TOOLS if shutil.which(tool) is None]
    if missing:  # .ci/run installs them (icu-devtools, binutils)
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install icu-devtools binutils)")
    trimmed = icu_data.trimmed_icu_data(libraries[0], tmp_path)
    assert trimmed is not None
    assert trimmed.stat().st_size < libraries[0].stat().st_size / 3

    def probe(**env: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                              env={**os.environ, **env}, encoding="utf-8")
        return done.stdout.splitlines()

    full, small = probe(), probe(LD_PRELOAD=str(trimmed))
    assert small[-1] == repr([str(trimmed)]) and full[-1] == repr([str(libraries[0].resolve())])
    assert small[:-1] == full[:-1]
    assert small[0].startswith("['an', 'ăn', 'âm', 'Dung', 'đào', 'Đông', 'Hà', 'Hải'")  # Vietnamese order
    assert small[2] == "ĐƯỜNG ƯU TIÊN İSTANBUL"
    assert small[3] == "Giờ Đông Dương"
