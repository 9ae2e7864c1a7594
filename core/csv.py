"""The one CSV writer of the portal: public open data and coordinators' exports alike.

A UTF-8 byte-order mark first (spreadsheet software then reads the accents right), then the
header and the rows, streamed. Every text cell, headers included, that a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with an apostrophe, so a place named ``=HYPERLINK(…)`` stays text. Numbers are
written as they are (a negative longitude is not a formula).
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


BLOCK = 64 * 1024  # rows are streamed in blocks of about this many characters


def lines(header, rows):
    """The CSV document in blocks of lines: BOM, header, rows (iterables of values).

    Plain text cells, the most common, are checked inline; the others go through ``cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([cell(name) for name in header])
    for row in rows:
        writer.writerow(
            [
                value
                if type(value) is str and not value.startswith(FORMULA_STARTS)
                else cell(value)
                for value in row
            ]
        )
        if buffer.tell() >= BLOCK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def response(filename, header, rows):
    """A streamed ``text/csv`` attachment named ``filename``."""
    streamed = StreamingHttpResponse(lines(header, rows), content_type="text/csv; charset=utf-8")
    streamed["Content-Disposition"] = f'attachment; filename="{filename}"'
    return streamed
