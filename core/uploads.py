"""Names of uploaded files: unguessable, yet recognisable by the end of the original name."""

import secrets


def unguessable_name(folder, filename, *, random_bytes=12):
    """``folder/<random hex>-<the last 60 characters of filename>``: no one can guess the name
    of a file they were not shown, and its end still says what the file is."""
    return f"{folder}/{secrets.token_hex(random_bytes)}-{filename[-60:]}"
