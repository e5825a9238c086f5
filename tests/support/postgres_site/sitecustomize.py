"""Loaded by every Python process a test starts when the suite runs on PostgreSQL (the conftest
puts this folder on ``PYTHONPATH``): a data directory without a database gets one on the test
server, as in the test process itself (``support.postgres``).

Nothing is imported here: the hook is put in when the app itself imports its engine module, so a
process that never opens a database (the command table's quick start) loads no more than before."""

import os
import sys

if os.environ.get("CDS_TEST_DB_URL"):
    import importlib.abc
    import importlib.util

    class _InstallHookAfterEngine(importlib.abc.MetaPathFinder):
        TARGET = "cds_desktop.database.engine"

        def find_spec(self, name, path=None, target=None):
            if name != self.TARGET:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                tests = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
                if tests not in sys.path:
                    sys.path.append(tests)
                try:
                    from support.postgres import install_default_url_hook
                except ImportError:  # not the app's test tree
                    return
                install_default_url_hook()

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _InstallHookAfterEngine())
