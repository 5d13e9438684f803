"""An article's Markdown as HTML for the console: CommonMark with raw HTML off (a ``<script>`` in a body shows as
text), links only to http(s), mailto and local paths, and every link opened without a referrer."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_LINKS = ("http://", "https://", "mailto:", "/", "#")


class _SafeLinks(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        """Only http(s), mailto and local links (not ``//host``, which leaves the site); others stay text."""
        url = url.strip().lower()
        return url.startswith(SAFE_LINKS) and not url.startswith("//")


def _renderer() -> MarkdownIt:
    md = _SafeLinks("commonmark", {"html": False, "linkify": False, "typographer": False})

    def link_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    return md


_MD = _renderer()


def render(text: str) -> Markup:
    """``text`` (Markdown) as safe HTML: markdown-it escapes every character it does not turn into markup."""
    return Markup(_MD.render(text or ""))
