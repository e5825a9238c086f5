"""CLI subcommands, one module per area; importing this package registers them."""

from cds_desktop.commands import basic  # noqa: F401
from cds_desktop.commands import reports  # noqa: F401
from cds_desktop.commands import importing  # noqa: F401
from cds_desktop.commands import evidence  # noqa: F401
from cds_desktop.commands import tracking  # noqa: F401
from cds_desktop.commands import exchange  # noqa: F401
