"""What a fetch can end in: one exception per condition, each soft (may recover on a later run)
or not."""

from __future__ import annotations

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """A fetch that did not produce a usable document. ``soft`` errors may recover later."""

    soft = True

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AddressNotAllowed(FetchError):
    soft = False


class SchemeNotAllowed(FetchError):
    soft = False


class TooManyRedirects(FetchError):
    soft = False


class PageTooLarge(FetchError):
    soft = False


class NotHTML(FetchError):
    soft = False


class RobotsDisallowed(FetchError):
    soft = False


class FetchTimeout(FetchError):
    pass


class DeadlinePassed(FetchError):
    """The whole request took longer than ``fetch.deadline_s`` (a server dripping its answer)."""

    soft = False


class FetchConnectError(FetchError):
    pass


class HttpStatusError(FetchError):
    def __init__(self, status: int, retry_after_s: float | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after_s = retry_after_s
        self.soft = status in RETRYABLE_STATUS or status == 404
