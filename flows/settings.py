"""The one settings object: environment variables (``KOREAWATCH_*``) over defaults.

Command-line options override these; the feed list and fetch policy live in the TOML config file
(``flows.config``), because they are the user's data, not the machine's.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KOREAWATCH_", extra="ignore")

    db: Path = Path("data/koreawatch.duckdb")
    config: Path = Path("deploy/feeds.toml")
    # How long a run waits for another writer, or a reader for a write, before giving up.
    lock_wait_s: float = 120.0
    digest_dir: Path = Path("data/digests")

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_security: str = "starttls"  # starttls | tls | none
    smtp_timeout_s: float = 30.0


def load_settings() -> Settings:
    return Settings()
