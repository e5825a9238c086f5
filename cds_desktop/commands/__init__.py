"""CLI subcommands, one module per area; importing this package registers them."""

from cds_desktop.commands import (  # noqa: F401
    basic,
    evidence,
    exchange,
    importing,
    reports,
    tracking,
)
