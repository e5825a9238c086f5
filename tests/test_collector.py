"""Garbage collection happens on the GUI thread only (see cds_desktop.ui.common.collector)."""

from __future__ import annotations

import gc

import pytest

pytestmark = pytest.mark.gui


def test_the_app_collects_on_its_own_thread_from_a_timer(qapp, monkeypatch):
    from cds_desktop.ui.common import collector

    monkeypatch.setattr(gc, "isenabled", gc.isenabled)  # restored below by the suite's own fixture
    found = collector.install(qapp)
    assert collector.install(qapp) is found  # once per application
    assert not gc.isenabled() and found.timer.isActive()
    assert found.thread() is qapp.thread()

    class Cycle:
        pass

    first, second = Cycle(), Cycle()
    first.other, second.other = second, first
    del first, second
    assert found.collect() >= 2  # the cycle is gone, collected by the timer's slot
    found.timer.stop()


def test_small_and_often_young_every_tick_the_rest_on_a_schedule(qapp, monkeypatch):
    """A young collection on every tick that has something to collect (each pause stays short: one
    collection of 59,000 objects every 2 s stopped the window for 58 ms), the middle generation every
    second, everything every minute."""
    from cds_desktop.ui.common import collector

    found = collector.install(qapp)
    found.timer.stop()
    done: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: done.append(generation) or 0)
    counts = iter([])
    monkeypatch.setattr(gc, "get_count", lambda: next(counts, (5000, 0, 0)))
    found._ticks = 0
    for _ in range(collector.FULL_EVERY):
        found.tick()
    assert done.count(2) == 1 and done.count(1) == collector.FULL_EVERY // collector.MIDDLE_EVERY - 1
    assert done.count(0) == collector.FULL_EVERY - len([g for g in done if g])
    done.clear()
    counts = iter([(10, 0, 0)])
    found._ticks = 0
    found.tick()
    assert done == []  # next to nothing allocated: no collection
    assert collector.INTERVAL_MS <= 100
