"""Rendering the view: HTML (autoescaped), plain text and Markdown from the jinja2 templates
beside this module, and the whole digest with its chart.

    rendered = render_digest(data, config.digest)
    rendered.html_file, rendered.text, rendered.chart_png
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import jinja2

from flows.config import DigestConfig
from flows.digest.chart import render_chart
from flows.digest.safety import clean, md_escape
from flows.digest.view import DigestView, Link, build_view, subject_for
from warehouse.digest import DigestData

TEMPLATES = Path(__file__).parent / "templates"


def _md_link(link: Link) -> str:
    text = md_escape(link.text)
    return f"[{text}]({link.url})" if link.url else text


def _wrap(value: object, indent: str = "", first: str | None = None, width: int = 76) -> str:
    """``clean`` text filled to ``width`` columns; ``first`` prefixes the first line."""
    return textwrap.fill(
        clean(value),
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _cells(text: str) -> int:
    # Hangul and other wide characters take two terminal/monospace cells.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(value: object, width: int, right: bool = False) -> str:
    """Text truncated and padded to ``width`` monospace cells (for plain-text tables)."""
    text = clean(value)
    while _cells(text) > width - 1 and text:
        text = text[:-1]
    pad = " " * (width - _cells(text))
    return pad + text if right else text + pad


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Autoescape for the HTML template; text and Markdown escape by their own rules.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_link"] = _md_link
    env.filters["wrap76"] = _wrap
    env.filters["fit"] = _fit
    return env


def render_html(view: DigestView) -> str:
    return _environment().get_template("digest.html").render(v=view)


def render_text(view: DigestView) -> str:
    text = _environment().get_template("digest.txt").render(v=view)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def render_markdown(view: DigestView) -> str:
    return _environment().get_template("digest.md").render(v=view)


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    view: DigestView
    subject: str
    html_file: str  # references the chart file beside it
    html_mail: str  # references the chart by cid:
    text: str
    markdown: str
    markdown_artifact: str  # no picture: the Prefect UI cannot see our files
    chart_png: bytes
    chart_cid: str


def chart_cid(day: date) -> str:
    return f"chart-{day.isoformat()}@koreawatch"


def render_digest(data: DigestData, settings: DigestConfig) -> RenderedDigest:
    png = render_chart(data)
    cid = chart_cid(data.day)
    file_view = build_view(data, settings, chart_src=f"{data.day.isoformat()}.png")
    mail_view = build_view(data, settings, chart_src=f"cid:{cid}")
    bare_view = build_view(data, settings, chart_src=None)
    return RenderedDigest(
        view=file_view,
        subject=subject_for(file_view, data),
        html_file=render_html(file_view),
        html_mail=render_html(mail_view),
        text=render_text(bare_view),
        markdown=render_markdown(file_view),
        markdown_artifact=render_markdown(bare_view),
        chart_png=png,
        chart_cid=cid,
    )
