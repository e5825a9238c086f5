"""Scenario 5: a dashboard figure opens exactly the items behind it (in the Kế hoạch tables and in
the dashboard's own list, which is still there when the officer comes back)."""

from __future__ import annotations

import pytest
from driver import open_screen, open_window

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, progress_db):
    return open_window(qtbot, progress_db)


def shown_items(window) -> set[str]:
    """Every item the Kế hoạch tables show (both tabs)."""
    return {row.uuid for model in (window.indicator_model, window.task_model) for row in model.rows}


@pytest.mark.parametrize("figure", ["Chậm, quá hạn", "Cảnh báo"])
def test_a_figure_opens_exactly_its_items(qtbot, driver, window, figure):
    dashboard = open_screen(driver, window, "Tổng quan")
    qtbot.waitUntil(lambda: any(t.tile is not None for t in dashboard.tiles), timeout=30_000)
    tile = next((t for t in dashboard.tiles if t.tile is not None and t.title.text().startswith(figure)), None)
    assert tile is not None, "tiles: " + ", ".join(t.title.text() for t in dashboard.tiles)
    behind = set(tile.tile.uuids)
    assert len(behind) > 1, f"«{figure}» has {len(behind)} item(s): pick a figure with several"
    number = int("".join(ch for ch in tile.value.text() if ch.isdigit()) or 0)

    driver.click(tile)
    qtbot.waitUntil(lambda: window.workspace.current_key() == "plan", timeout=10_000)
    qtbot.waitUntil(lambda: shown_items(window) == behind, timeout=10_000)
    assert window.current_item_uuid() in behind
    if tile.tile.key != "warnings":  # a count of items (warnings count warnings, several per item)
        assert number == len(behind)

    open_screen(driver, window, "Tổng quan")  # back: the list behind the figure is still there
    assert dashboard.items_model.rowCount() == len(behind)
    assert {line.uuid for line in dashboard.items_model.rows} == behind
