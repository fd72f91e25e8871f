#!/usr/bin/env python3
"""Ingest benchmark: prints its figures; nothing here is a pass/fail test.

    python scripts/bench_ingest.py                 # N = 2000 pages
    python scripts/bench_ingest.py --pages 10000   # the memory target's size
    python scripts/bench_ingest.py --no-server     # skip the run against `prefect server start`

Figures:
  (a) bare extraction throughput: trafilatura (our extract_page) over the same pages, one process
  (b) the whole ingest flow's throughput: poll 50 feeds, fetch, extract, store, events
  (c) the ratio b / a (target >= 0.7)
  (d) peak RSS of the ingest process and its extraction workers (target < 500 MB at N = 10000)
  (e) a re-run where all 50 feeds answer 304: the flow run's own duration, in ephemeral mode
      and against a running Prefect server (target < 2 s), and the whole `koreawatch ingest`
      process in ephemeral mode
"""

from __future__ import annotations

import argparse
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FEEDS = 50

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


@functools.cache
def page_html(i: int) -> bytes:
    rng = random.Random(i)
    paragraphs = []
    for _ in range(rng.randint(7, 11)):
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} that {rng.choice(OBJECTS).format(n=rng.randint(2, 1500))} (report {i}-{rng.randint(0, 10**6)})."
            for _ in range(rng.randint(2, 4))
        ]
        paragraphs.append(" ".join(sentences))
    links = "".join(f'<a href="/section/{k}">Section {k}</a>' for k in range(12))
    day = 1 + i % 28
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
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


RUNNER = """
import json, resource, sys, time
from prefect import flow
from flows.definitions import ingest_flow

@flow
def warm_up() -> None:
    return None

t0 = time.perf_counter(); warm_up(); warm = time.perf_counter() - t0
t0 = time.perf_counter(); first = ingest_flow(config_path=sys.argv[1], db_path=sys.argv[2]); first_s = time.perf_counter() - t0
t0 = time.perf_counter(); second = ingest_flow(config_path=sys.argv[1], db_path=sys.argv[2]); second_s = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"warm_up_s": warm, "first_s": first_s, "first": first, "second_s": second_s, "second": second, "rss_mb": rss, "worker_rss_mb": children}))
"""


PLAIN = """
import sys, time
from pathlib import Path
from flows.config import load_config
from flows.pipeline.ingest import run_ingest
from flows.runs import writing
from warehouse import Warehouse
wh = Warehouse(sys.argv[2])
with writing(wh, "bench"):
    t0 = time.perf_counter(); run_ingest(load_config(Path(sys.argv[1])), wh); print(time.perf_counter() - t0)
"""


def run_flow_process(config: Path, db: Path, env: dict[str, str]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(config), str(db)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"ingest flow failed:\n{result.stderr[-3000:]}")
    data: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
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
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument(
        "--no-server", action="store_true", help="skip the run against a Prefect server"
    )
    args = parser.parse_args()
    n = args.pages

    from extractors.pages import extract_page

    sample = [page_html(i) for i in range(n)]
    t0 = time.perf_counter()
    for i, html in enumerate(sample):
        extract_page(
            html, url=f"http://127.0.0.1/p/{i}.html", content_type="text/html; charset=utf-8"
        )
    bare_s = time.perf_counter() - t0
    del sample
    bare_rate = n / bare_s
    print(
        f"(a) bare extraction, one process: {n} pages in {bare_s:.1f} s = {bare_rate:.0f} pages/s"
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
        eph = run_flow_process(config, work / "ephemeral.duckdb", env)
        first = eph["first"]
        assert isinstance(first, dict)
        flow_rate = float(first["new_articles"]) / float(str(eph["first_s"]))
        print(f"(b) ingest flow (ephemeral Prefect): {first['new_articles']} articles in {float(str(eph['first_s'])):.1f} s = {flow_rate:.0f} pages/s "
              f"(events: {first['events']}, failed: {first['failed']})")  # fmt: skip
        print(f"(c) ratio b/a: {flow_rate / bare_rate:.2f}")
        plain = subprocess.run(
            [sys.executable, "-c", PLAIN, str(config), str(work / "plain.duckdb")],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        plain_s = float(plain.stdout.strip().splitlines()[-1])
        print(f"    same work without Prefect (run_ingest): {plain_s:.1f} s = {n / plain_s:.0f} pages/s; Prefect's share of the flow run: "
              f"{max(0.0, float(str(eph['first_s'])) - plain_s):.1f} s over {2 + (n + 999) // 1000 + 1} tasks")  # fmt: skip
        print(
            f"(d) peak RSS: ingest process {float(str(eph['rss_mb'])):.0f} MB, largest extraction worker {float(str(eph['worker_rss_mb'])):.0f} MB"
        )
        print(
            f"(e) 304 re-run, flow run duration, ephemeral: {float(str(eph['second_s'])):.2f} s (not modified: {eph['second']['not_modified']})"
        )  # type: ignore[index]
        t0 = time.perf_counter()
        whole = subprocess.run([str(Path(sys.executable).parent / "koreawatch"), "ingest", "--config", str(config), "--db", str(work / "ephemeral.duckdb")],
                               env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # fmt: skip
        print(
            f"(e) 304 re-run, whole `koreawatch ingest` process, ephemeral: {time.perf_counter() - t0:.1f} s (exit {whole.returncode})"
        )
        if not args.no_server:
            proc, api = start_prefect_server(work / "prefect-server")
            try:
                served = run_flow_process(
                    config, work / "served.duckdb", dict(env, PREFECT_API_URL=api)
                )
                print(f"(e) 304 re-run, flow run duration, against `prefect server start`: {float(str(served['second_s'])):.2f} s "
                      f"(first run there: {float(str(served['first_s'])):.1f} s)")  # fmt: skip
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
