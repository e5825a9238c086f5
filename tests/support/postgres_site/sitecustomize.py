"""Loaded by every Python process a test starts when the suite runs on PostgreSQL (the conftest
puts this folder on ``PYTHONPATH``): a data directory without a database gets one on the test
server, as in the test process itself (``support.postgres``)."""

import os
import sys
from pathlib import Path

if os.environ.get("CDS_TEST_DB_URL"):
    _tests = Path(__file__).resolve().parent.parent.parent
    for _folder in (_tests, _tests.parent):
        if str(_folder) not in sys.path:
            sys.path.insert(0, str(_folder))
    try:
        from support.postgres import install_default_url_hook
    except ImportError:  # a Python without the app (another program's interpreter)
        pass
    else:
        install_default_url_hook()
