"""CLI subcommands, one module per area; ``registry.load_all()`` imports them
(each registers its subcommands with ``registry.command``)."""
