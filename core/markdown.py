"""Markdown written by members, rendered to HTML and sanitised with nh3 (an allow-list)."""

import functools
import re

import markdown as md
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "a", "code", "pre",
    "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


# A list item ("- ", "* ", "+ " or "1. ") right after a line of text: Markdown wants a blank
# line before a list, people do not type one.
LIST_AFTER_TEXT = re.compile(r"^(?P<text>[^\n]*\S[^\n]*)\n(?=(?:[-*+]|\d+[.)]) )", re.MULTILINE)
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]) ")


def _blank_line_before_lists(text):
    def insert(match):
        line = match.group("text")
        return line + ("\n" if LIST_ITEM.match(line) else "\n\n")

    return LIST_AFTER_TEXT.sub(insert, text)


def render_markdown(text):
    """Safe HTML from Markdown: no script, no event handler, no javascript: link. A list typed
    right after a line of text is a list."""
    return _render(text or "")


@functools.lru_cache(maxsize=2048)
def _render(text):
    # A pure function of the text: the charter's guidance and intros, rendered on every report
    # page, are converted once per process (building a Markdown parser costs more than using it).
    html = md.markdown(
        _blank_line_before_lists(text.replace("\r\n", "\n")),
        extensions=["sane_lists", "nl2br"],
        output_format="html",
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
