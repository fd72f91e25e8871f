"""The demo's feeds always name http://127.0.0.1:8765, whatever port its server got, so ids do
not depend on the port (a second demo adds nothing while another program holds 8765)."""

from __future__ import annotations

import tomllib

from flows.adapters.corpus import DEMO_BASE_URL, Corpus, demo_config_text
from flows.config import parse_config


def test_on_another_port_the_config_connects_the_fixed_address_there() -> None:
    config = parse_config(tomllib.loads(demo_config_text(Corpus(DEMO_BASE_URL, "127.0.0.1:40123"))))
    assert {f.url.split("/")[2] for f in config.feeds} == {"127.0.0.1:8765"}
    assert config.fetch.connect_to == {"127.0.0.1:8765": "127.0.0.1:40123"}
    assert config.fetch.allow_private_addresses == ["127.0.0.1"]


def test_on_its_own_port_the_config_needs_no_redirection() -> None:
    config = parse_config(tomllib.loads(demo_config_text(Corpus(DEMO_BASE_URL, "127.0.0.1:8765"))))
    assert config.fetch.connect_to == {}
