#!/usr/bin/env python3
"""Ingest benchmark: prints every figure of the ingest performance table; nothing here is a
pass/fail test.

    python scripts/bench_ingest.py                 # N = 2000 pages
    python scripts/bench_ingest.py --pages 10000   # the memory target's size
    python scripts/bench_ingest.py --no-server     # skip the runs against `prefect server start`

Figures (targets in brackets):
  (a) bare extraction: our extract_page over the benchmark pages, one process
  (b) the whole ingest (poll 50 feeds, fetch, extract text, store, events), in-process
      (run_ingest) and as a flow run on Prefect's temporary server
  (c) b / a                                             [>= 1.0 at 2,000 and 10,000; aim 1.5]
  (d) peak RSS of the ingest process and of its largest extraction worker
                                                        [main < 300 MB, flat in N; worker < 200 MB]
  (e) a re-run where all 50 feeds answer 304: in-process, on the N-page warehouse and on one
      scaled to 50,000 articles; as a flow run against `prefect server start` on both
                                                        [flow run < 1 s, flat from 2k to 50k]
      and the whole `koreawatch ingest` process
  event extraction: extract_mentions over the benchmark pages' text, CPU time of one core
                                                        [>= 1,000 articles/s]
  backfill: `backfill --mode extract` of one day on the warehouse scaled to 50,000 articles
      (with about 26,000 mentions)                      [< 2 s]

The pages come from a server in a process of its own (`serve`): every page is rendered before the
run starts and each answer costs it about 0.1 ms of CPU, so it takes little of the machine from
the ingest. It answers with Nagle's algorithm off: with it on, every kept-alive response waited
40 ms for the client's delayed ACK, and the first round's whole-ingest figures measured that
wait (2,000 pages took 11 s to fetch with no extraction at all). Nothing else is spared: each
page still goes through robots.txt, the address guard, the throttle, the byte limits and the
whole analysis. The machine is shared: each run prints its CPU seconds and the load average;
compare runs made back to back.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FEEDS = 50
SCALED_ARTICLES = 50_000
SCALED_DAYS = 28  # as dense as the benchmark pages (October 2024): about 700 mentions a day
# Share of the scaled warehouse's articles that are off-topic (stored, is_relevant = false):
# the rest give the warehouse about 19,000 mentions.
OFF_TOPIC_SHARE = 0.7

# Our own sentences, recombined: enough variety that pages are not near-duplicates.
SUBJECTS = [
    "North Korea",
    "Pyongyang",
    "The North's military",
    "State media",
    "South Korea's Joint Chiefs of Staff",
    "Japan's defence ministry",
    "Analysts in Seoul",
    "Officials in Washington",
]
VERBS = ["said", "reported", "noted", "warned", "confirmed", "suggested", "estimated", "claimed"]
OBJECTS = [
    "a ballistic missile flew about {n} km before landing in the sea",
    "the launch came from a site near the capital",
    "the test was the {n}th of the year",
    "talks with Seoul remain frozen",
    "new sanctions were under discussion at the United Nations",
    "the exercise involved {n} aircraft and several warships",
    "the programme had advanced faster than expected",
    "the statement was carried by the official news agency",
]
CLUTTER = """<nav>{links}</nav><div class="cookie-consent">We use cookies. Accept all cookies.</div>
<div class="ad-slot">Advertisement</div>"""


def paragraphs(i: int) -> list[str]:
    rng = random.Random(i)
    out = []
    for _ in range(rng.randint(7, 11)):
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} that {rng.choice(OBJECTS).format(n=rng.randint(2, 1500))} (report {i}-{rng.randint(0, 10**6)})."
            for _ in range(rng.randint(2, 4))
        ]
        out.append(" ".join(sentences))
    return out


@functools.cache
def page_html(i: int) -> bytes:
    links = "".join(f'<a href="/section/{k}">Section {k}</a>' for k in range(12))
    day = 1 + i % 28
    body = "".join(f"<p>{p}</p>" for p in paragraphs(i))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>North Korea report {i}</title>
<meta property="og:site_name" content="Bench Outlet {i % 7}"><meta property="article:published_time" content="2024-10-{day:02d}T09:00:00+09:00">
<link rel="canonical" href="/p/{i}.html"></head><body>{CLUTTER.format(links=links)}<article><h1>North Korea report {i}</h1>{body}</article>
<section class="comments"><p>A reader comment on report {i}.</p></section><footer>Bench Outlet</footer></body></html>""".encode()


def feed_xml(base: str, feed: int, pages: int) -> bytes:
    items = "".join(
        f"<item><title>North Korea report {i}</title><link>{base}/p/{i}.html</link><guid>{base}/p/{i}.html</guid>"
        f"<description>Report {i} on North Korea.</description><pubDate>Thu, 10 Oct 2024 00:00:00 GMT</pubDate></item>"
        for i in range(feed, pages, FEEDS)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench {feed}</title>{items}</channel></rss>'.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The handler writes the headers and the body in two sends: with Nagle's algorithm on, the
    # body waits for the client's delayed ACK (40 ms on Linux), on every kept-alive request.
    disable_nagle_algorithm = True
    pages = 0

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        elif self.path.startswith("/feed/"):
            body, kind = (
                feed_xml(base, int(self.path.split("/")[2].split(".")[0]), self.pages),
                "application/rss+xml",
            )
        elif self.path.startswith("/p/"):
            body, kind = (
                page_html(int(self.path.split("/")[2].split(".")[0])),
                "text/html; charset=utf-8",
            )
        else:
            body, kind = b"no", "text/plain"
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'  # noqa: S324 - a cache validator, not security
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(port: int, pages: int) -> None:
    Handler.pages = pages
    for i in range(pages):  # generate up front, so serving costs the benchmark little CPU
        page_html(i)
    # socketserver's default backlog is 5: the sixth simultaneous connection is dropped and the
    # client's retry comes a second later, a stall the benchmark would charge to the ingest.
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(path: Path, base: str) -> None:
    feeds = "".join(
        f'[[feeds]]\nname = "Bench feed {f}"\nurl = "{base}/feed/{f}.rss"\n\n' for f in range(FEEDS)
    )
    path.write_text(
        feeds + '[fetch]\nallow_private_addresses = ["127.0.0.1"]\nper_host_delay_s = 0.0\n'
        "per_host_concurrency = 8\nconcurrency = 16\nbatch_size = 1000\n",
        encoding="utf-8",
    )


# A flow run in a process of its own: a warm-up flow (so Prefect's start is not counted), then
# the ingest flow once or twice.
FLOW_RUNNER = """
import asyncio, json, resource, sys, time
from prefect import flow
from flows.definitions import ingest_flow

@flow
def warm_up() -> None:
    return None

warm_up()
out = {}
for name in sys.argv[3].split(","):
    t0 = time.perf_counter(); counts = asyncio.run(ingest_flow(config_path=sys.argv[1], db_path=sys.argv[2]))
    out[name] = {"s": time.perf_counter() - t0, "counts": counts}
print(json.dumps(out))
"""

# The same work without Prefect, in a process of its own so its peak RSS is the ingest's.
PLAIN_RUNNER = """
import json, resource, sys, time
from pathlib import Path
from flows.config import load_config
from flows.pipeline.ingest import run_ingest
from flows.runs import writing
from warehouse import Warehouse
wh = Warehouse(sys.argv[2])
out = {}
for name in sys.argv[3].split(","):
    with writing(wh, "bench"):
        t0 = time.perf_counter(); summary = run_ingest(load_config(Path(sys.argv[1])), wh)
        out[name] = {"s": time.perf_counter() - t0, "counts": summary.counts()}
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["worker_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
self_ru, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
out["cpu_main_s"], out["cpu_workers_s"] = self_ru.ru_utime + self_ru.ru_stime, kids.ru_utime + kids.ru_stime
print(json.dumps(out))
"""


def run_json(code: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def start_prefect_server(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(
        os.environ,
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api"
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("prefect server did not start within 120 s")


# -- the warehouse scaled to 50,000 articles ---------------------------------------------------

SCALE_DAY0 = date(2024, 1, 1)
# Launch reports dated relative to publication ("this morning", "yesterday"), so the scaled
# warehouse has events to consolidate, several a day, as a real one does, and a mention copied to
# an article of another day is what the extractor finds in it; and one lead with no launch.
LEADS = [
    "North Korea fired a Hwasong-18 intercontinental ballistic missile into the sea off its east coast this morning, South Korea's Joint Chiefs of Staff said.",
    "North Korea launched two KN-23 short-range ballistic missiles early today from an area near Pyongyang, the Joint Chiefs of Staff said, adding that they flew about 600 km.",
    "Japan's defence ministry said a North Korean ballistic missile launched yesterday fell outside its exclusive economic zone.",
    "Officials in Seoul said talks with Pyongyang showed no sign of resuming.",
]


def scale_warehouse(db: Path, target: int) -> tuple[date, int]:
    """Add articles (and the items that brought them) until ``db`` holds ``target``, spread over
    ``SCALED_DAYS`` days, with mentions and events. Mentions are extracted once per distinct text
    and copied to the articles that share it (dates shifted by the day), so building stays quick.
    Returns a day to backfill and the warehouse's mention count."""
    from extractors.events import default_extractor
    from extractors.neardup import signature
    from extractors.quality import assess_article
    from extractors.records import ArticleText
    from flows.pipeline.extract import consolidate_all
    from flows.runs import writing
    from warehouse import Warehouse
    from warehouse.events import load_mentions, replace_mentions
    from warehouse.ingest import ArticleRow, ItemRow, insert_new_items, upsert_articles

    extractor = default_extractor()
    wh = Warehouse(db)
    with writing(wh, "bench-scale"), wh.transaction() as con:
        have = int(con.execute("SELECT count(*) FROM article_store").fetchone()[0])  # type: ignore[index]
    extra = max(0, target - have)
    per_day = max(1, extra // SCALED_DAYS)
    pool = 1000  # distinct texts
    texts = ["\n\n".join([LEADS[k % len(LEADS)], *paragraphs(10**6 + k)]) for k in range(pool)]
    sigs = [signature(t) for t in texts]
    ref = datetime(2024, 1, 1, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
    templates = [
        extractor.extract(ArticleText(f"t{k}", f"http://scale.invalid/t{k}", "Scale", f"North Korea report {k}", texts[k], ref))
        for k in range(pool)
    ]  # fmt: skip
    now = datetime.now(UTC)
    rng = random.Random(7)
    for start in range(0, extra, 10_000):
        rows, items, mentions, verdicts = [], [], [], {}
        for n in range(start, min(extra, start + 10_000)):
            day = n // per_day
            k = n % pool
            when = ref + timedelta(days=day, minutes=n % 600)
            aid = f"scaled{n:07d}"
            relevant = rng.random() >= OFF_TOPIC_SHARE
            url = f"http://scale.invalid/{day}/{n}.html"
            rows.append(ArticleRow(aid, url, url, f"Scale Outlet {n % 9}", "scale.invalid", f"North Korea report {n}", None,
                                   when, "page", now, "en", texts[k], "page", relevant, 3.0, aid, sigs[k], None, "scaled", "bench"))  # fmt: skip
            items.append(ItemRow("scaled", url, url, url, f"North Korea report {n}", "", when, now, "fetched", "kept", 3.0, []))  # fmt: skip
            if relevant:
                for m in templates[k]:
                    moved = m.event_date + timedelta(days=day) if m.event_date else None
                    mentions.append(dataclasses.replace(m, article_id=aid, event_date=moved))
                verdicts[aid] = assess_article(ArticleText(aid, url, "Scale", "", texts[k], when))
        with writing(wh, "bench-scale"), wh.transaction() as con:
            upsert_articles(con, rows)
            insert_new_items(con, items)
            replace_mentions(
                con, [r.article_id for r in rows], extractor.version, mentions, verdicts
            )
    with writing(wh, "bench-scale"), wh.transaction() as con:
        consolidate_all(con, extractor.version)  # and nothing left queued
        mentions_total = len(load_mentions(con, extractor.version))
    return SCALE_DAY0 + timedelta(days=SCALED_DAYS // 2), mentions_total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument(
        "--no-server", action="store_true", help="skip the runs against a Prefect server"
    )
    args = parser.parse_args()
    n = args.pages

    from extractors.events import extract_mentions
    from extractors.pages import extract_page
    from extractors.records import ArticleText

    texts: list[ArticleText] = []
    t0 = time.perf_counter()
    for i in range(n):
        page = extract_page(
            page_html(i),
            url=f"http://127.0.0.1/p/{i}.html",
            content_type="text/html; charset=utf-8",
        )
        if len(texts) < 2000:
            texts.append(ArticleText(str(i), f"http://127.0.0.1/p/{i}.html", "Bench", page.title or "", page.text, page.published_at))  # fmt: skip
    bare_s = time.perf_counter() - t0
    bare_rate = n / bare_s
    print(
        f"(a) bare extract_page, one process: {n} pages in {bare_s:.1f} s = {bare_rate:.0f} pages/s"
    )
    extract_mentions(texts[0])  # rule data loaded and compiled once, not counted
    cpu0 = time.process_time()
    found = sum(len(extract_mentions(a)) for a in texts)
    cpu = time.process_time() - cpu0
    print(
        f"    event extraction: {len(texts)} articles ({found} mentions) in {cpu:.2f} s CPU = {len(texts) / cpu:.0f} articles/s per core"
    )

    port = free_port()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(port, n), daemon=True)
    server.start()
    time.sleep(0.5)
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="kw-bench-"))
    try:
        config = work / "feeds.toml"
        write_config(config, base)
        env = dict(os.environ, PREFECT_HOME=str(work / "prefect-ephemeral"), PREFECT_LOGGING_LEVEL="WARNING",
                   PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120")  # fmt: skip
        env.pop("PREFECT_API_URL", None)
        plain_db = work / "plain.duckdb"
        plain = run_json(PLAIN_RUNNER, [str(config), str(plain_db), "first,second"], env)
        first = plain["first"]
        rate = float(first["counts"]["new_articles"]) / first["s"]
        print(f"(b) whole ingest, in-process (run_ingest): {first['counts']['new_articles']} articles in {first['s']:.1f} s = {rate:.0f} pages/s "
              f"(events: {first['counts']['events']}, failed: {first['counts']['failed']})")  # fmt: skip
        print(f"(c) ratio b/a, in-process: {rate / bare_rate:.2f}")
        print(f"    CPU of that run (both runs of the process): main {plain['cpu_main_s']:.1f} s, workers {plain['cpu_workers_s']:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work on the machine slows every figure)")  # fmt: skip
        print(
            f"(d) peak RSS: ingest process {plain['rss_mb']:.0f} MB, largest extraction worker {plain['worker_rss_mb']:.0f} MB"
        )
        print(
            f"(e) 304 re-run, in-process, {n} articles: {plain['second']['s']:.2f} s (not modified: {plain['second']['counts']['not_modified']})"
        )

        eph = run_json(
            FLOW_RUNNER, [str(config), str(work / "ephemeral.duckdb"), "first,second"], env
        )
        flow_rate = float(eph["first"]["counts"]["new_articles"]) / eph["first"]["s"]
        print(
            f"(b) whole ingest, flow run on Prefect's temporary server: {eph['first']['s']:.1f} s = {flow_rate:.0f} pages/s; b/a = {flow_rate / bare_rate:.2f}"
        )
        print(f"(e) 304 re-run, flow run, temporary server: {eph['second']['s']:.2f} s")
        t0 = time.perf_counter()
        whole = subprocess.run([str(Path(sys.executable).parent / "koreawatch"), "ingest", "--config", str(config), "--db", str(work / "ephemeral.duckdb")],
                               env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # fmt: skip
        print(
            f"(e) 304 re-run, whole `koreawatch ingest` process: {time.perf_counter() - t0:.1f} s (exit {whole.returncode})"
        )

        scaled_db = work / "scaled.duckdb"
        shutil.copyfile(plain_db, scaled_db)
        t0 = time.perf_counter()
        day, mentions = scale_warehouse(scaled_db, SCALED_ARTICLES)
        print(
            f"    (warehouse scaled to {SCALED_ARTICLES} articles, {mentions} mentions, in {time.perf_counter() - t0:.0f} s)"
        )
        scaled = run_json(PLAIN_RUNNER, [str(config), str(scaled_db), "rerun"], env)
        print(
            f"(e) 304 re-run, in-process, {SCALED_ARTICLES} articles: {scaled['rerun']['s']:.2f} s"
        )
        backfill = run_json(BACKFILL_RUNNER, [str(config), str(scaled_db), day.isoformat()], env)
        print(f"    backfill --mode extract, one day ({day}: {backfill['articles']} articles, {backfill['mentions']} mentions) "
              f"on {SCALED_ARTICLES} articles / {mentions} mentions: {backfill['s']:.2f} s ({backfill['cpu_s']:.1f} s CPU, imports included)")  # fmt: skip

        if not args.no_server:
            proc, api = start_prefect_server(work / "prefect-server")
            try:
                served_env = dict(env, PREFECT_API_URL=api)
                small = run_json(FLOW_RUNNER, [str(config), str(plain_db), "rerun"], served_env)
                large = run_json(FLOW_RUNNER, [str(config), str(scaled_db), "rerun"], served_env)
                print(f"(e) 304 re-run, flow run against `prefect server start`: {small['rerun']['s']:.2f} s at {n} articles, "
                      f"{large['rerun']['s']:.2f} s at {SCALED_ARTICLES}")  # fmt: skip
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)


BACKFILL_RUNNER = """
import json, sys, time
from datetime import date
from pathlib import Path
from flows.config import load_config
from flows.pipeline.backfill import BackfillRequest, run_backfill
from warehouse import Warehouse
day = date.fromisoformat(sys.argv[3])
t0 = time.perf_counter()
summary = run_backfill(load_config(Path(sys.argv[1])), Warehouse(sys.argv[2]), BackfillRequest("extract", day, day))
import resource
cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
print(json.dumps({"s": time.perf_counter() - t0, "cpu_s": cpu, "articles": summary.counts.get("articles", 0), "mentions": summary.counts.get("mentions", 0)}))
"""


if __name__ == "__main__":
    main()
