"""Scenario 3: two plans in the data folder; switching back and forth in the plan selector,
every screen shows the selected plan (and none keeps the other plan's rows)."""

from __future__ import annotations

import pytest
from driver import open_screen
from test_scenario_import_month import SEEDS, import_plan_file

pytestmark = pytest.mark.gui

PLANS = {"Bát Tràng": "004_c2f9f5085f71fe4f.txt", "Phù Đổng": "000_0b2d4eebbd1ce4dd.txt"}


def plan_contents(window) -> set[str]:
    """What the Kế hoạch tables show for the selected plan (both tabs)."""
    return {row.content for model in (window.indicator_model, window.task_model) for row in model.rows}


def test_every_screen_follows_the_selected_plan(qtbot, driver, empty_window):
    window = empty_window
    for seed in PLANS.values():
        import_plan_file(driver, window, SEEDS / seed)
    assert window.plan_combo.count() == 2
    contents: dict[str, set[str]] = {}
    for commune in ("Bát Tràng", "Phù Đổng", "Bát Tràng", "Phù Đổng"):
        other = next(c for c in PLANS if c != commune)
        label = next(window.plan_combo.itemText(i) for i in range(window.plan_combo.count())
                     if commune in window.plan_combo.itemText(i))
        if window.plan_combo.currentText() != label:
            driver.choose(window.plan_combo, label)
        assert commune in window.windowTitle() and other not in window.windowTitle()

        open_screen(driver, window, "Kế hoạch")
        shown = plan_contents(window)
        assert shown, "the plan tables are empty"
        contents.setdefault(commune, shown)
        assert shown == contents[commune]
        if other in contents:
            assert not shown & contents[other] - contents[commune]

        dashboard = open_screen(driver, window, "Tổng quan")
        qtbot.waitUntil(lambda c=commune, d=dashboard: c in d.heading.text(), timeout=30_000)
        assert other not in dashboard.heading.text()

        month = open_screen(driver, window, "Nhập báo cáo kỳ")
        qtbot.waitUntil(lambda m=month: m.model.rowCount() > 0, timeout=30_000)
        month_contents = {row.item.content for row in month.model.rows}
        assert month_contents <= contents[commune], "month entry shows rows of another plan"

        reports = open_screen(driver, window, "In báo cáo")
        assert commune in reports.plan_label.text() and other not in reports.plan_label.text()
