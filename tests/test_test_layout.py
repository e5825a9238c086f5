"""The suite's own layout: test modules never import from ``conftest``.

With more than one ``conftest.py`` (tests/scenarios/ has its own) the name
``conftest`` means whichever was loaded last, so shared paths live in
``tests/support/paths.py`` and scenario helpers in ``tests/scenarios/driver.py``."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_module_imports_from_conftest():
    modules = sorted(TESTS.rglob("*.py"))
    assert len(modules) > 20
    offenders = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "conftest":
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
            if isinstance(node, ast.Import) and any(alias.name == "conftest" for alias in node.names):
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert offenders == []
