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


def test_start_up_bursts_are_frozen_not_visited(qapp, monkeypatch):
    """Start-up's ~170,000 long-lived objects: the first young collection visiting them stopped the
    window ~87 ms, each full one 60-100 ms.  Within the first seconds a burst is frozen (constant time)
    instead; later bursts are collected as usual."""
    from cds_desktop.ui.common import collector

    found = collector.install(qapp)
    found.timer.stop()
    done: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: done.append(f"collect{generation}") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: done.append("freeze"))
    monkeypatch.setattr(gc, "get_count", lambda: (collector.BURST + 1, 0, 0))
    found._ticks = 1
    monkeypatch.setattr(collector, "_startup_ends", collector.time.monotonic() + 5)
    found.tick()
    assert done == ["freeze"]
    done.clear()
    monkeypatch.setattr(collector, "_startup_ends", collector.time.monotonic() - 1)
    found._ticks = 1
    found.tick()
    assert done == ["collect0"]  # after start-up a burst is collected: cyclic garbage must not pile up


def test_a_second_window_does_not_restart_the_start_up_period(qapp, monkeypatch):
    from PySide6.QtCore import QObject

    from cds_desktop.ui.common import collector

    monkeypatch.setattr(collector, "_startup_ends", 123.0)
    owner = QObject()
    second = collector.GuiThreadCollector(owner)
    second.timer.stop()
    assert collector._startup_ends == 123.0
