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
