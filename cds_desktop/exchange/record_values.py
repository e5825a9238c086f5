"""Values in exchanged records: how a column's value is written (``encode_value``: dates as ISO text) and
read back and checked (``column_decoder``: the type, the length, a uuid's form), with the error a bad
value raises (:class:`RecordError`).  Used by :mod:`cds_desktop.exchange.records`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.sql.schema import Column
from sqlalchemy.types import TypeEngine

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_TEXT = 1 << 20  # one text value in a package (1 MiB)


class RecordError(ValueError):
    """A record of a package does not fit the schema (message in Vietnamese)."""


def encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def column_decoder(column: Column, is_fk: bool) -> Callable[[Any], Any]:
    nullable = bool(column.nullable)
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl if isinstance(kind.impl, TypeEngine) else kind.impl_instance
    name = column.name

    def fail(value: Any, what: str) -> RecordError:
        text = repr(value)
        return RecordError(f"cột «{name}» phải là {what}, không phải {text[:60]}")

    def check_none(value: Any) -> Any:
        """None when *value* may be missing (null); raises when it may not; *value* otherwise."""
        if value is None:
            if not nullable:
                raise RecordError(f"cột «{name}» không được để trống")
            return None
        return value

    if is_fk or name == "uuid":
        share = sys.intern if is_fk else str  # a reference repeats in many records: one string for all

        def uuid_value(value: Any) -> Any:
            if value is None:  # check_none, inlined (called for every value of every record)
                return check_none(value)
            if not isinstance(value, str) or not UUID_RE.match(value):
                raise fail(value, "một mã UUID")
            return share(value.lower())
        return uuid_value
    if isinstance(kind, DateTime):
        def dt_value(value: Any) -> Any:
            if value is None:  # check_none, inlined (called for every value of every record)
                return check_none(value)
            if isinstance(value, datetime):
                return value if value.tzinfo else value.replace(tzinfo=UTC)
            try:
                parsed = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise fail(value, "thời điểm ISO 8601") from None
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
        return dt_value
    if isinstance(kind, Date):
        def date_value(value: Any) -> Any:
            if value is None:  # check_none, inlined (called for every value of every record)
                return check_none(value)
            if isinstance(value, date) and not isinstance(value, datetime):
                return value
            try:
                return date.fromisoformat(value)
            except (TypeError, ValueError):
                raise fail(value, "ngày YYYY-MM-DD") from None
        return date_value
    if isinstance(kind, Boolean):
        def bool_value(value: Any) -> Any:
            if value is None:  # check_none, inlined (called for every value of every record)
                return check_none(value)
            if not isinstance(value, bool):
                raise fail(value, "đúng/sai")
            return value
        return bool_value
    if isinstance(kind, Integer):
        def int_value(value: Any) -> Any:
            if value is None:  # check_none, inlined (called for every value of every record)
                return check_none(value)
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 1 << 63:
                raise fail(value, "số nguyên")
            return value
        return int_value
    if isinstance(kind, Float):
        def float_value(value: Any) -> Any:
            if value is None:  # check_none, inlined (called for every value of every record)
                return check_none(value)
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise fail(value, "số")
            return float(value)
        return float_value
    if isinstance(kind, String | Text):
        limit = min(getattr(kind, "length", None) or MAX_TEXT, MAX_TEXT)

        def str_value(value: Any) -> Any:
            if value is None:  # check_none, inlined (called for every value of every record)
                return check_none(value)
            if not isinstance(value, str):
                raise fail(value, "văn bản")
            if len(value) > limit:
                raise RecordError(f"cột «{name}» dài quá {limit} ký tự")
            return value
        return str_value
    if isinstance(kind, JSON):
        def json_value(value: Any) -> Any:
            if value is None and not nullable:
                raise RecordError(f"cột «{name}» không được để trống")
            return value
        return json_value

    def any_value(value: Any) -> Any:
        check_none(value)
        return value
    return any_value
