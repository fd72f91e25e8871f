"""The client's kept-alive connections, against a real HTTP/1.1 server on 127.0.0.1 that counts
the TCP connections it accepts: requests to one host share a few connections, a connection the
server closed is replaced, a response abandoned halfway never goes back to the pool, and no more
requests than ``concurrency`` are in flight."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flows.adapters.client import fetch, make_client
from flows.adapters.errors import PageTooLarge
from flows.adapters.guard import AddressGuard
from flows.config import FetchConfig

PAGE = b"<!doctype html><html><body><p>" + b"Pyongyang. " * 200 + b"</p></body></html>"


class Counting(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self.close_after_each = False  # answer "Connection: close" and hang up
        self.idle_timeout_s: float | None = None  # hang up on an idle kept-alive connection


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: Counting

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1
        if self.server.idle_timeout_s is not None:
            self.connection.settimeout(self.server.idle_timeout_s)

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests += 1
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
        try:
            time.sleep(0.01)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            if self.server.close_after_each:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(PAGE)
        finally:
            with self.server.lock:
                self.server.in_flight -= 1


@pytest.fixture
def server() -> Iterator[Counting]:
    httpd = Counting()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _url(server: Counting, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


async def _get_all(server: Counting, count: int, *, concurrency: int, max_bytes: int) -> list[int]:
    config = FetchConfig(allow_private_addresses=["127.0.0.1"], concurrency=concurrency)
    async with make_client(config, AddressGuard(config.allow_private_addresses)) as client:

        async def one(i: int) -> int:
            response = await fetch(
                client, _url(server, f"/p/{i}"), max_bytes=max_bytes, max_redirects=0
            )
            return len(response.body)

        return list(await asyncio.gather(*(one(i) for i in range(count))))


def test_requests_to_one_host_share_kept_alive_connections(server: Counting) -> None:
    sizes = asyncio.run(_get_all(server, 60, concurrency=4, max_bytes=1_000_000))

    assert sizes == [len(PAGE)] * 60
    assert server.requests == 60
    assert server.connections <= 4  # one per request in flight, kept for the next
    assert server.most_in_flight <= 4


def test_a_server_that_hangs_up_after_each_response_gets_a_new_connection(
    server: Counting,
) -> None:
    server.close_after_each = True
    sizes = asyncio.run(_get_all(server, 20, concurrency=3, max_bytes=1_000_000))

    assert sizes == [len(PAGE)] * 20
    assert server.connections == 20


def test_a_connection_the_server_closed_while_idle_is_replaced(server: Counting) -> None:
    server.idle_timeout_s = 0.2
    config = FetchConfig(allow_private_addresses=["127.0.0.1"], concurrency=2)

    async def twice() -> tuple[int, int]:
        async with make_client(config, AddressGuard(config.allow_private_addresses)) as client:
            first = await fetch(client, _url(server, "/a"), max_bytes=10**6, max_redirects=0)
            await asyncio.sleep(0.6)  # the server has hung up on the idle connection by now
            second = await fetch(client, _url(server, "/b"), max_bytes=10**6, max_redirects=0)
            return len(first.body), len(second.body)

    assert asyncio.run(twice()) == (len(PAGE), len(PAGE))
    assert server.connections == 2


def test_a_response_abandoned_halfway_is_not_reused(server: Counting) -> None:
    config = FetchConfig(allow_private_addresses=["127.0.0.1"], concurrency=1)

    async def run() -> int:
        async with make_client(config, AddressGuard(config.allow_private_addresses)) as client:
            with pytest.raises(PageTooLarge):
                await fetch(client, _url(server, "/big"), max_bytes=100, max_redirects=0)
            ok = await fetch(client, _url(server, "/next"), max_bytes=10**6, max_redirects=0)
            return len(ok.body)

    assert asyncio.run(run()) == len(PAGE)
    assert server.connections == 2  # the unread rest of the first body went with its connection
