"""The TOML config file (feeds, fetch policy, digest), validated on load with errors that name
the file and the key.

config = load_config(Path("deploy/feeds.toml"))
config.feeds[0].url, config.fetch.timeout_s
"""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator


class ConfigError(ValueError):
    """The config file is missing, not TOML, or has a bad key or value."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedConfig(_Strict):
    name: Annotated[str, Field(min_length=1)]
    url: str
    all_relevant: bool = False

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"must be an http or https URL, not {value!r}")
        return value.strip()


class FetchConfig(_Strict):
    # False, True, or a list of hosts/addresses/networks that may be non-public.
    allow_private_addresses: StrictBool | list[str] = False
    timeout_s: Annotated[float, Field(gt=0, le=300)] = 20.0
    # The whole request, redirects and body included: a server that drips a byte a second
    # never trips the read timeout, and is cut off here.
    deadline_s: Annotated[float, Field(gt=0, le=600)] = 30.0
    max_bytes: Annotated[int, Field(gt=1000)] = 5_000_000
    per_host_concurrency: Annotated[int, Field(ge=1, le=32)] = 2
    per_host_delay_s: Annotated[float, Field(ge=0, le=60)] = 1.0
    concurrency: Annotated[int, Field(ge=1, le=256)] = 16
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    retries: Annotated[int, Field(ge=0, le=5)] = 2  # within a run, for 5xx, 429 and timeouts
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 6  # across runs, before an item is given up
    respect_robots: bool = True
    # Pages per write transaction and per Prefect task: larger is faster, smaller loses less
    # work to a kill and shows up in the warehouse sooner.
    batch_size: Annotated[int, Field(ge=1, le=5000)] = 400
    # "host:port" -> "address:port" to connect to instead, like curl's --connect-to; URLs, ids
    # and the address guard's check are unchanged. The demo gives its corpus a fixed address
    # with it, whatever port the corpus server got.
    connect_to: dict[str, str] = {}
    user_agent: str = "koreawatch/0.1 (news monitoring of the Korean peninsula; set fetch.user_agent to add a contact)"

    @field_validator("allow_private_addresses")
    @classmethod
    def _hosts(cls, value: bool | list[str]) -> bool | list[str]:
        if isinstance(value, list):
            for entry in value:
                if not entry.strip():
                    raise ValueError("empty host in the list")
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    if "/" in entry or " " in entry:
                        raise ValueError(
                            f"{entry!r} is neither a host name nor an address"
                        ) from None
        return value

    @field_validator("connect_to")
    @classmethod
    def _host_ports(cls, value: dict[str, str]) -> dict[str, str]:
        for key, target in value.items():
            for part in (key, target):
                host, _, port = part.rpartition(":")
                if not host or not port.isdigit() or not 0 < int(port) < 65536:
                    raise ValueError(f"{part!r} is not host:port")
        return value


class DigestConfig(_Strict):
    timezone: str = "Asia/Seoul"
    recipients: list[str] = []
    title: str = "koreawatch daily digest"
    site_url: str | None = None  # where digests are published, for the Atom feed's links

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("recipients")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or address.strip() != address:
                raise ValueError(f"{address!r} is not an email address")
        return value


class Config(_Strict):
    feeds: list[FeedConfig] = []
    fetch: FetchConfig = FetchConfig()
    digest: DigestConfig = DigestConfig()
    source_path: Path | None = Field(default=None, exclude=True)

    @field_validator("feeds")
    @classmethod
    def _unique(cls, value: list[FeedConfig]) -> list[FeedConfig]:
        seen: set[str] = set()
        for feed in value:
            if feed.url in seen:
                raise ValueError(f"feed URL listed twice: {feed.url}")
            seen.add(feed.url)
        return value


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_config(data: dict[str, Any], source: str = "<config>") -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _location(tuple(first["loc"]))
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        elif first["type"] == "missing":
            message = "required key is missing"
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise ConfigError(f"{source}: {where}: {message}{more}") from None


def load_config(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    config = parse_config(data, str(path))
    return config.model_copy(update={"source_path": path})


def require_feeds(config: Config) -> None:
    """An ingest needs at least one feed: with none it would succeed at doing nothing."""
    if not config.feeds:
        where = config.source_path or "the config file"
        raise ConfigError(
            f"{where}: no feeds configured; add a [[feeds]] table with a name and a url"
        )
