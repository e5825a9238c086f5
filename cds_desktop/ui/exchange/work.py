"""Job helpers of the exchange pages: the exchange layer's progress and
cancellation callbacks bound to a background job's context."""

from __future__ import annotations

from typing import Any

from cds_desktop.ui.common.jobs import JobCancelled, JobContext


def cancel_fn(ctx: JobContext):
    return lambda: ctx.cancelled


def progress_fn(ctx: JobContext):
    return lambda done, total, text="": ctx.report(done, total, text)


def guard(fn):
    """Turn the exchange layer's cancellation into the job's."""
    from cds_desktop.exchange.errors import ExchangeCancelled

    def work(ctx: JobContext) -> Any:
        try:
            return fn(ctx)
        except ExchangeCancelled as exc:
            raise JobCancelled() from exc
    return work
