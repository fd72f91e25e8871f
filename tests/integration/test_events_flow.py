"""The extract flow under Prefect's test harness, and the eval entry point."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.pipeline.evaluate import GoldenSetError, run_eval
from warehouse import Warehouse

TEXT = (
    "North Korea fired two short-range ballistic missiles into the East Sea on Thursday, "
    "South Korea's Joint Chiefs of Staff said. The missiles flew about 350 km."
)


def test_importing_run_extract_does_not_import_prefect() -> None:
    """The ingest imports run_extract; Prefect must load only when a flow is used."""
    code = "import sys, flows.pipeline.extract; print('prefect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_extract_flow_takes_the_lock_and_is_idempotent(
    prefect_harness: None, db_path: Path
) -> None:
    from flows.definitions import extract_flow

    wh = Warehouse(db_path, wait_s=5)
    with wh.writer("test"), wh.transaction() as con:
        published = datetime(2024, 10, 31, 3, 0, tzinfo=UTC)
        con.execute(
            "INSERT INTO article_store (article_id, url, source, title, published_at, fetched_at,"
            " text, text_source, is_relevant, story_id)"
            " VALUES ('f1', 'https://w.example/f1', 'Wire', 't', ?, ?, ?, 'page', TRUE, 's1')",
            [published, published, TEXT],
        )
    first = extract_flow(str(db_path), since="2024-10-31", until="2024-10-31")
    second = extract_flow(str(db_path))
    assert first["articles"] == 1 and first["missile_tests"] == 1
    assert {k: v for k, v in second.items() if k != "seconds"} == {
        k: v for k, v in first.items() if k != "seconds"
    }
    assert not wh.holds_writer_lock
    with pytest.raises(ValueError, match="since must be a day"):
        extract_flow(str(db_path), since="yesterday")


def test_run_eval_rejects_a_missing_golden_set(tmp_path: Path) -> None:
    with pytest.raises(GoldenSetError, match="no golden cases"):
        run_eval(tmp_path)
