"""The one settings object, and the one place the default paths are written.

    settings = load_settings()          # KOREAWATCH_* environment variables over the defaults
    settings.db, settings.config, settings.prefect_file

Command-line options override these (``--db`` over ``KOREAWATCH_DB`` over the default); the feed
list and fetch policy live in the TOML config file (``flows.config``), because they are the
user's data, not the machine's.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = Path("data/koreawatch.duckdb")
DEFAULT_CONFIG = Path("deploy/feeds.toml")
DEFAULT_PREFECT_FILE = Path("deploy/prefect.yaml")
DEFAULT_DIGEST_DIR = Path("data/digests")
DEFAULT_LOCK_WAIT_S = 120.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KOREAWATCH_", extra="ignore")

    db: Path = DEFAULT_DB
    config: Path = DEFAULT_CONFIG
    prefect_file: Path = DEFAULT_PREFECT_FILE
    # How long a run waits for another writer, or a reader for a write, before giving up.
    lock_wait_s: float = DEFAULT_LOCK_WAIT_S
    digest_dir: Path = DEFAULT_DIGEST_DIR

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_security: str = "starttls"  # starttls | tls | none
    smtp_timeout_s: float = 30.0


def load_settings() -> Settings:
    return Settings()
