"""The bundled sample corpus, served from an in-process HTTP server on 127.0.0.1.

    with serve_corpus() as corpus:                    # port 8765 when free, else any free port
        config_text = demo_config_text(corpus)      # the feeds at corpus.base_url

The corpus always appears at ``http://127.0.0.1:8765`` (``DEMO_BASE_URL``), whatever port the
server got: its files use the token ``__BASE_URL__`` for absolute links and the server writes
that address in, and the demo's config connects that address to the real port
(``fetch.connect_to``). So feed and article ids never depend on the port, and a second demo
adds nothing even when another program holds 8765. It speaks enough HTTP to exercise the real
ingest path: ETag and Last-Modified with 304s, gzip, robots.txt and the right character set
per feed.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CORPUS = Path(__file__).parent.parent / "sample_corpus"
TOKEN = b"__BASE_URL__"
DEMO_PORT = 8765
DEMO_BASE_URL = f"http://127.0.0.1:{DEMO_PORT}"
_STARTED = formatdate(usegmt=True)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def _content_type(path: Path, body: bytes) -> str:
    if body.lstrip().startswith(b"<?xml") and b'encoding="EUC-KR"' in body[:200]:
        return "application/rss+xml; charset=EUC-KR"
    return _TYPES.get(path.suffix, "application/octet-stream")


class _Handler(BaseHTTPRequestHandler):
    server: _CorpusHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return  # quiet: the demo prints its own summary

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain; charset=utf-8")
            return
        target = (CORPUS / path.lstrip("/")).resolve()
        if CORPUS.resolve() not in target.parents or not target.is_file():
            self._send(404, b"not found\n", "text/plain; charset=utf-8")
            return
        body = target.read_bytes().replace(TOKEN, self.server.base_url.encode("ascii"))
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if self.headers.get("If-None-Match") == etag:
            self._send(304, b"", None, {"ETag": etag})
            return
        self._send(
            200, body, _content_type(target, body), {"ETag": etag, "Last-Modified": _STARTED}
        )

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        extra: dict[str, str] | None = None,
    ) -> None:
        headers = dict(extra or {})
        if body and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _CorpusHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog (5) drops the sixth simultaneous connection; its client retries a
    # second later, and every run waits for it.
    request_queue_size = 64
    base_url = ""


@dataclass(frozen=True)
class Corpus:
    base_url: str  # where the feeds say the corpus is
    address: str  # where the server listens, host:port

    @property
    def connect_to(self) -> dict[str, str]:
        """``fetch.connect_to`` for the config: the base URL's host:port to the server's."""
        public = urlsplit(self.base_url).netloc
        return {} if public == self.address else {public: self.address}


@contextmanager
def serve_corpus(port: int = DEMO_PORT) -> Iterator[Corpus]:
    """Serve the corpus on 127.0.0.1:``port``, or any free port when it is taken (0: any)."""
    try:
        server = _CorpusHTTPServer(("127.0.0.1", port), _Handler)
    except OSError:
        server = _CorpusHTTPServer(("127.0.0.1", 0), _Handler)
    server.base_url = DEMO_BASE_URL
    thread = threading.Thread(
        target=server.serve_forever, name="koreawatch-demo-server", daemon=True
    )
    thread.start()
    try:
        yield Corpus(DEMO_BASE_URL, f"127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def demo_config_text(corpus: Corpus) -> str:
    """The corpus's feed list at its base URL, allowed past the address guard."""
    feeds = (CORPUS / "feeds.toml").read_text(encoding="utf-8")
    text = (
        feeds.replace("__BASE_URL__", corpus.base_url)
        + "\n[fetch]\n"
        + 'allow_private_addresses = ["127.0.0.1"]   # the demo server; nothing else private\n'
        + "per_host_delay_s = 0.0\nper_host_concurrency = 8\ntimeout_s = 10\n"
    )
    if corpus.connect_to:
        pairs = ", ".join(f'"{k}" = "{v}"' for k, v in corpus.connect_to.items())
        text += f"connect_to = {{ {pairs} }}   # the corpus server's real port\n"
    return text
