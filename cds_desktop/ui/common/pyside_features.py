"""Spare every later import PySide6's source scan.

Once PySide6 is imported it hooks ``__import__``: every module imported afterwards
(SQLAlchemy's hundreds, the services, the reports) is passed to
``PySide6.support.feature.feature_imported``, which reads the module's whole source
file (``inspect.getsource``, kept in ``linecache``) to see whether the text
"PySide6" is in it, for the ``from __feature__ import snake_case`` switches.  This
application selects no feature, so the answer only has to be consistent: modules of
``cds_desktop.ui`` (which use PySide6) switch as PySide6 means (0, "no feature"),
every other module is ignored (-1), without reading any file.  Measured on the
start-up of the source tree: 30-40 ms of reading and splitting source files, some of
it in the data layer's thread while the window is painted.  (The frozen app ships no
sources, where the scan already fails fast.)
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)


def skip_source_scan() -> bool:
    """Replace the scan by a decision on the module's name; False if PySide6 has no such hook."""
    feature = sys.modules.get("PySide6.support.feature")
    flags = getattr(feature, "pyside_feature_dict", None)
    if feature is None or not isinstance(flags, dict) or not callable(getattr(feature, "feature_imported", None)):
        return False

    def feature_imported(module) -> None:
        name = getattr(module, "__name__", None)
        if name is not None and name not in flags:
            flags[name] = 0 if name.startswith("cds_desktop.ui") or name.startswith("PySide6") else -1

    feature.feature_imported = feature_imported
    return True
