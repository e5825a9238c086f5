"""The layer rule of ARCHITECTURE.md, checked on every import in cds_desktop/ (also the
ones inside functions): each layer imports only the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cds_desktop

ROOT = Path(cds_desktop.__file__).parent

# layer -> the cds_desktop packages it must not import
FORBIDDEN = {
    "models": {"database", "services", "importers", "reports", "exchange", "rollup", "commands", "cli", "ui"},
    "database": {"services", "importers", "reports", "exchange", "rollup", "commands", "cli", "ui"},
    "services": {"importers", "reports", "exchange", "rollup", "commands", "cli", "ui"},
    "importers": {"reports", "exchange", "rollup", "commands", "cli", "ui"},
    "reports": {"importers", "exchange", "rollup", "commands", "cli", "ui"},
    "exchange": {"importers", "reports", "rollup", "commands", "cli", "ui"},
    "rollup": {"importers", "commands", "cli", "ui"},  # receiving mode: on top of exchange and reports
    "commands": {"cli", "ui"},
}


def _layer(path: Path) -> str:
    part = path.relative_to(ROOT).parts[0]
    return part.removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "cds_desktop":  # "from cds_desktop import commands"
                found += [(node.lineno, f"cds_desktop.{alias.name}") for alias in node.names]
    return found


def _sources() -> list[Path]:
    paths = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts or p.name == "env.py")
    assert len(paths) > 100
    return paths


def test_each_layer_imports_only_the_layers_below():
    broken = []
    for path in _sources():
        forbidden = FORBIDDEN.get(_layer(path), set())
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] == "cds_desktop" and len(parts) > 1 and parts[1] in forbidden:
                broken.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert broken == []


def test_only_ui_imports_qt():
    broken = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _sources() if _layer(path) != "ui"
        for line, module in _imports(path) if module.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")
    ]
    assert broken == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_every_layer_exists(layer):
    assert (ROOT / layer).is_dir() or (ROOT / f"{layer}.py").is_file()


# Screens whose actions are service functions with their own unit of work: no session in the widget.
NO_SESSION_IN_WIDGET = ("ui/month/entry.py", "ui/dashboard/screen.py", "ui/reports/screen.py",
                        "ui/evidence/panel.py", "ui/exchange/export_page.py", "ui/exchange/import_page.py",
                        "ui/exchange/screen.py", "ui/evidence/library.py",
                        "ui/evidence/metadata_dialog.py", "ui/main_window.py", "ui/plan/structure_commands.py",
                        "ui/plan/structure_dialogs.py", "ui/plan/filter_bar.py", "ui/plan/filter_commands.py",
                        "ui/help.py", "ui/common/empty_state.py", "ui/common/catalog_dialogs.py",
                        "ui/common/pickers.py", "ui/common/misc_dialogs.py", "ui/common/table_model.py",
                        "ui/exchange/models.py", "ui/screens.py", "ui/common/screen.py",
                        "ui/plan/item_models.py", "ui/plan/import_preview.py",
                        "ui/plan/detail_panel.py", "ui/plan/item_commands.py", "ui/plan/structure_menus.py")


@pytest.mark.parametrize("module", NO_SESSION_IN_WIDGET)
def test_these_screens_leave_sessions_to_the_services(module):
    text = (ROOT / module).read_text(encoding="utf-8")
    assert ".session(" not in text and "sqlalchemy" not in text
