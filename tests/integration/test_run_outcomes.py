"""Failure shows in exit codes and in `koreawatch status`: every feed failed, no feeds at all,
and a run that gave up on a busy warehouse before it could write its row (plain and as a
Prefect flow run)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.support.cli import invoke, invoke_json, said
from tests.support.pages import PARAGRAPHS, article_html, rss, write_config
from tests.support.warehouse import hold_writer_lock, rows
from warehouse.runs import unrecorded_path


def test_an_ingest_in_which_every_feed_failed_exits_non_zero_and_is_recorded_failed(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    site.expect_request("/gone.rss").respond_with_data("gone", status=404)
    site.expect_request("/broken.rss").respond_with_data("<html>not a feed</html>")
    config = write_config(
        tmp_path / "feeds.toml",
        [("Gone", site.url_for("/gone.rss")), ("Broken", site.url_for("/broken.rss"))],
    )
    result = invoke("ingest", "--config", str(config), "--db", str(db_path), "--no-prefect")
    assert result.exit_code == 1
    [line] = [line for line in said(result) if line.startswith("error:")]
    assert said(result)[-1] == line  # after the progress lines, the reason, last
    assert line.startswith("error: all 2 feed(s) polled failed: ")
    assert line.endswith("(and 1 more; see `koreawatch feeds`)")
    [(status, errors)] = rows(db_path, "SELECT status, errors FROM runs")
    assert status == "failed"
    assert isinstance(errors, list)
    assert errors[-1].startswith("AllFeedsFailed: all 2 feed(s) polled failed")


def test_one_feed_answering_is_enough_for_an_ok_run(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    site.expect_request("/gone.rss").respond_with_data("gone", status=404)
    site.expect_request("/f.rss").respond_with_data(rss([]), content_type="application/rss+xml")
    config = write_config(
        tmp_path / "feeds.toml",
        [("Gone", site.url_for("/gone.rss")), ("F", site.url_for("/f.rss"))],
    )
    result = invoke("ingest", "--config", str(config), "--db", str(db_path), "--no-prefect")
    assert result.exit_code == 0, result.stderr
    assert rows(db_path, "SELECT status FROM runs") == [("ok",)]


def test_an_empty_feed_list_exits_non_zero_with_one_line(tmp_path: Path, db_path: Path) -> None:
    config = write_config(tmp_path / "feeds.toml", [])
    result = invoke("ingest", "--config", str(config), "--db", str(db_path))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {config}: no feeds configured; add a [[feeds]] table with a name and a url"
    ]
    assert not db_path.exists()


def _busy_ingest(site: HTTPServer, tmp_path: Path, db_path: Path) -> Path:
    site.expect_request("/a.html").respond_with_data(
        article_html("North Korea fires long-range missile", PARAGRAPHS["icbm"]),
        content_type="text/html",
    )
    site.expect_request("/f.rss").respond_with_data(
        rss([{"title": "North Korea fires long-range missile", "link": site.url_for("/a.html")}]),
        content_type="application/rss+xml",
    )
    return write_config(tmp_path / "feeds.toml", [("F", site.url_for("/f.rss"))])


def test_a_run_that_found_the_warehouse_busy_shows_in_status_and_then_in_runs(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    config = _busy_ingest(site, tmp_path, db_path)
    assert invoke("ingest", "--config", str(config), "--db", str(db_path)).exit_code == 0
    holder = hold_writer_lock(db_path)
    try:
        busy = invoke("ingest", "--config", str(config), "--db", str(db_path), "--lock-wait", "1")
    finally:
        holder.kill()
        holder.wait()
    assert busy.exit_code == 1
    assert said(busy)[-1].startswith("error: warehouse busy: ")

    report = invoke_json("status", "--db", str(db_path))
    last = report["last_runs"]["ingest"]
    assert last["status"] == "failed"
    assert last["errors"][0].startswith("warehouse busy: ")
    assert [r["status"] for r in report["failures_week"]] == ["failed"]
    check = invoke("status", "--check", "--db", str(db_path))
    assert check.exit_code == 1
    assert "last ingest failed: warehouse busy" in check.stderr

    # The next run that writes moves the note into `runs`, once.
    assert invoke("ingest", "--config", str(config), "--db", str(db_path)).exit_code == 0
    assert rows(db_path, "SELECT status, errors[1][:15] FROM runs ORDER BY started_at") == [
        ("ok", None), ("failed", "warehouse busy:"), ("ok", None),
    ]  # fmt: skip
    assert unrecorded_path(db_path).read_text() == ""
    assert invoke_json("status", "--db", str(db_path))["last_runs"]["ingest"]["status"] == "ok"


@pytest.mark.slow
def test_a_flow_run_that_found_the_warehouse_busy_is_noted_with_its_flow_run_id(
    prefect_harness: None, site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    from prefect.client.orchestration import get_client

    from flows.definitions import ingest_flow
    from warehouse import WarehouseBusy

    config = _busy_ingest(site, tmp_path, db_path)
    assert invoke("ingest", "--config", str(config), "--db", str(db_path)).exit_code == 0
    holder = hold_writer_lock(db_path)
    try:
        state = asyncio.run(
            ingest_flow(
                config_path=str(config), db_path=str(db_path), lock_wait_s=1, return_state=True
            )
        )
    finally:
        holder.kill()
        holder.wait()
    assert state.is_failed()
    with pytest.raises(WarehouseBusy):
        state.result()
    assert state.state_details.flow_run_id is not None
    report = invoke_json("status", "--db", str(db_path))
    last = report["last_runs"]["ingest"]
    assert (last["status"], last["run_id"]) == ("failed", str(state.state_details.flow_run_id))
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    assert run.state is not None
    assert run.state.is_failed()


def test_a_run_whose_own_writes_find_the_warehouse_busy_is_noted_once_under_its_id(
    site: HTTPServer, tmp_path: Path, db_path: Path
) -> None:
    # A backfill holds the warehouse only for each write: its start or its end can find it busy.
    from flows.runs import recorded_run, writing
    from warehouse import Warehouse, WarehouseBusy
    from warehouse.runs import fold_unrecorded_runs, unrecorded_runs

    config = _busy_ingest(site, tmp_path, db_path)
    assert invoke("ingest", "--config", str(config), "--db", str(db_path)).exit_code == 0
    wh = Warehouse(db_path, wait_s=0.5)

    def hold(run_id: str):  # type: ignore[no-untyped-def]
        return lambda: writing(wh, "backfill", run_id=run_id)

    holder = hold_writer_lock(db_path)
    try:
        with pytest.raises(WarehouseBusy), recorded_run(wh, "backfill", {}, run_id="at-start",
                                                        hold=hold("at-start")):  # fmt: skip
            pytest.fail("the body must not run when the start cannot be written")
    finally:
        holder.kill()
        holder.wait()
    assert [n["run_id"] for n in unrecorded_runs(db_path)] == ["at-start"]

    with (
        pytest.raises(WarehouseBusy),
        recorded_run(wh, "backfill", {}, run_id="at-end", hold=hold("at-end")) as run,
    ):
        run.counts["days"] = 1
        holder = hold_writer_lock(db_path)
    holder.kill()
    holder.wait()
    # Its start folded the first note into `runs`; its own end is noted, under its id alone.
    assert [n["run_id"] for n in unrecorded_runs(db_path)] == ["at-end"]
    assert rows(db_path, "SELECT status FROM runs WHERE run_id = 'at-end'") == [("running",)]

    # The next run folds the note into `runs`, once, and the file is emptied.
    notes = unrecorded_runs(db_path)
    assert invoke("ingest", "--config", str(config), "--db", str(db_path)).exit_code == 0
    assert rows(
        db_path, "SELECT run_id, status, len(errors) FROM runs WHERE flow = 'backfill' ORDER BY 1"
    ) == [("at-end", "failed", 1), ("at-start", "failed", 1)]
    assert unrecorded_runs(db_path) == []
    # Folded again (a run killed between folding and dropping the notes): nothing is added.
    with wh.writer("test"), wh.transaction() as con:
        fold_unrecorded_runs(con, notes)
    assert rows(db_path, "SELECT len(errors) FROM runs WHERE run_id = 'at-end'") == [(1,)]
