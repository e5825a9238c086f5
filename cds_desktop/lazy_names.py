"""A package's names loaded from its modules on first use (PEP 562): ``services.tracking`` and
``services.evidence`` export names of modules that import SQLAlchemy, while some of their other
modules must stay importable without it (the first paint, the command line's early copy)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_getattr(package: str, where: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """The package's ``__getattr__``: *where* maps each name to the module (relative to *package*)
    that defines it; a name loaded once is kept in the package's *namespace*."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
