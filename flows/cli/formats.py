"""Rows to text: the formats of ``koreawatch sql`` (table, csv, json, ndjson)."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

FORMATS = ("table", "csv", "json", "ndjson")


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def render_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    records = [dict(zip(columns, (jsonable(v) for v in row), strict=True)) for row in rows]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "ndjson":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow(
                json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for v in record.values()
            )
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
