"""The main window's screens: dashboard first, lazy screens following the plan,
figures leading to their items, evidence in the detail panel, import entries."""

from __future__ import annotations

import pytest
from support.windows import open_window

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_db):
    return open_window(qtbot, demo_db, (1400, 850))


def test_dashboard_is_the_first_screen_and_others_are_lazy(window):
    workspace = window.workspace
    assert workspace.current_key() == "dashboard"
    titles = [workspace.tabText(i) for i in range(workspace.count())]
    assert titles[:2] == ["Tổng quan", "Kế hoạch"]
    assert "Nhập báo cáo kỳ" in titles and "Minh chứng" in titles and "In báo cáo" in titles
    assert workspace.screen("dashboard", create=False) is not None
    assert workspace.screen("reports", create=False) is None  # built only when opened
    plan_uuid = window.current_plan().uuid
    assert workspace.screen("dashboard").plan_uuid == plan_uuid


def test_every_screen_opens_on_the_current_plan(window, qtbot):
    plan_uuid = window.current_plan().uuid
    for key in list(window.workspace.pages):
        screen = window.workspace.show_screen(key)
        assert screen is not None, key
        assert window.workspace.current_key() == key
        if key != "plan" and hasattr(screen, "plan_uuid"):
            assert screen.plan_uuid == plan_uuid, key
    window.workspace.show_screen("plan")
    assert window.workspace.currentWidget().screen is window.splitter


def test_a_figure_leads_to_its_item_in_the_plan(window):
    uuid = window.indicator_model.rows[4].uuid
    window.open_items([uuid])
    assert window.workspace.current_key() == "plan"
    assert window.current_item_uuid() == uuid
    assert window.detail.item_uuid == uuid


def test_detail_panel_has_the_item_evidence(window, tmp_path):
    from cds_desktop.services.evidence import EvidenceMetadata, attach_files

    uuid = window.indicator_model.rows[0].uuid
    proof = tmp_path / "Biên bản họp.pdf"
    proof.write_bytes(b"%PDF-1.4 minutes")
    attach_files(window.db, [proof], [("item", uuid)], EvidenceMetadata(kind="minutes"))
    window.workspace.show_screen("plan")
    window.select_item(uuid)
    panel = window.detail.evidence
    assert panel.target == ("item", uuid)
    assert panel.model.rowCount() == 1
    assert window.detail.tabs.tabText(3) == "Minh chứng (1)"


def test_import_entries_are_in_the_file_menu(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert any(t.startswith("Nhập kế hoạch từ tệp") for t in texts)
    assert "Nhập kế hoạch từ bảng đã sao chép" in texts
    screens = [a.text() for a in window.menuBar().actions() if a.text() == "&Màn hình"]
    assert screens


def test_every_screen_spec_builds_its_screen(qtbot, demo_db):
    from PySide6.QtWidgets import QWidget

    from cds_desktop.ui.common.screen import ScreenWidget
    from cds_desktop.ui.screens import SCREENS

    built = []
    for spec in SCREENS:
        if spec.build is None:  # the plan editor, given ready-made by the main window
            continue
        parent = QWidget()
        qtbot.addWidget(parent)
        screen = spec.build(demo_db, parent)
        assert isinstance(screen, ScreenWidget), spec.key
        assert screen.parent() is parent
        screen.set_plan(None)
        built.append(spec.key)
    assert built == ["dashboard", "month", "evidence", "reports", "exchange", "rollup"]
