"""Uploaded files: names unguessable, yet recognisable by the end of the original name; a PDF
recognised by its content."""

import secrets


def unguessable_name(folder, filename, *, random_bytes=12):
    """``folder/<random hex>-<the last 60 characters of filename>``: no one can guess the name
    of a file they were not shown, and its end still says what the file is."""
    return f"{folder}/{secrets.token_hex(random_bytes)}-{filename[-60:]}"


def is_pdf(upload):
    """Whether ``upload`` starts as a PDF does (``%PDF-``), whatever its name says; the file is
    read from its start and left there."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    return head == b"%PDF-"
