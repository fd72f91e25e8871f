"""Every ```sql block of docs/sql.md runs against the demo warehouse and returns rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.warehouse import ROOT
from warehouse import Warehouse

SQL_DOC = ROOT / "docs" / "sql.md"
BLOCKS = re.findall(r"^```sql\n(.*?)^```", SQL_DOC.read_text(encoding="utf-8"), re.S | re.M)


def test_the_page_has_at_least_ten_queries() -> None:
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("query", BLOCKS, ids=[f"query{i + 1}" for i in range(len(BLOCKS))])
def test_each_documented_query_runs_and_returns_rows(demo_template: Path, query: str) -> None:
    with Warehouse(demo_template, wait_s=30).reader() as con:  # as `koreawatch sql` opens it
        cursor = con.execute(query)
        assert cursor.description, "a query in the docs must return a result set"
        found = cursor.fetchall()
    assert found, f"no rows from:\n{query}"
