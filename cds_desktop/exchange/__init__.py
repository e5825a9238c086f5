"""Exchanging data as files (Qt-free): data packages and unit report workbooks.

- :mod:`.zipsafe` — reading untrusted zip files (packages, returned workbooks) safely;
- :mod:`.records` — records as exchanged, generically from every ``Synced`` table;
- :mod:`.scope` — which records a package holds (all, a plan, a unit, a period);
- :mod:`.package_format`, :mod:`.package_write`, :mod:`.package_read` — the ``.cdspkg`` format,
  export, and verification before anything is written;
- :mod:`.clocks`, :mod:`.merge`, :mod:`.apply`, :mod:`.packages` — merging by uuid and version
  vectors, conflicts, one-transaction import;
- :mod:`.workbook_write`, :mod:`.workbook_read`, :mod:`.workbook_import` — unit report workbooks
  (Phiếu báo cáo): generate, read back safely, preview and import through the tracking services;
- :mod:`.history` — what was sent to whom and received from whom.
"""

from cds_desktop.exchange.errors import ExchangeError, RejectedFile
from cds_desktop.exchange.package_write import ExportResult, export_package
from cds_desktop.exchange.packages import ImportResult, import_package
from cds_desktop.exchange.scope import Scope

__all__ = ["ExchangeError", "ExportResult", "ImportResult", "RejectedFile", "Scope", "export_package",
           "import_package"]
