"""The one CSV writer of the portal: public open data and coordinators' exports alike.

A UTF-8 byte-order mark first (spreadsheet software then reads the accents right), then the
header and the rows, streamed. Every text cell, headers included, that a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with an apostrophe, so a place named ``=HYPERLINK(…)`` stays text. Numbers are
written as they are (a negative longitude is not a formula).
"""

import csv
import datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() returns the line (the csv module's streaming idiom)."""

    def write(self, value):
        return value


def cell(value):
    """The text of one cell."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def lines(header, rows):
    """The CSV document, line by line: BOM, header, rows (iterables of values)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([cell(name) for name in header])
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def response(filename, header, rows):
    """A streamed ``text/csv`` attachment named ``filename``."""
    streamed = StreamingHttpResponse(lines(header, rows), content_type="text/csv; charset=utf-8")
    streamed["Content-Disposition"] = f'attachment; filename="{filename}"'
    return streamed
