"""PySide6's source scan of every later import is replaced by a decision on the module's name
(cds_desktop.ui.common.pyside_features): no source file is read, and the app still runs."""

from __future__ import annotations

import linecache
import sys
import types

import PySide6.QtCore  # noqa: F401  (the hook exists once PySide6 is imported)

from cds_desktop.ui.common.pyside_features import skip_source_scan


def test_a_module_imported_later_is_not_read(tmp_path, monkeypatch):
    assert skip_source_scan()
    (tmp_path / "cds_probe_module.py").write_text("import PySide6\nVALUE = 'PySide6 is named here'\n",
                                                  encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "cds_probe_module", raising=False)
    module = __import__("cds_probe_module")  # an import statement (PySide6 hooks __import__)
    assert module.VALUE
    assert str(tmp_path / "cds_probe_module.py") not in linecache.cache  # the scan read it before
    flags = sys.modules["PySide6.support.feature"].pyside_feature_dict
    assert flags["cds_probe_module"] == -1
    feature = sys.modules["PySide6.support.feature"]
    feature.feature_imported(types.ModuleType("cds_desktop.ui.probe_screen"))  # the app's own Qt modules
    assert flags["cds_desktop.ui.probe_screen"] == 0  # switch as PySide6 means
