"""Tools of the attack tests: a snapshot of the database, and checks for unescaped payloads."""

import re
from pathlib import Path

from django.apps import apps

# Every model whose rows an attack could change (the historical tables follow their models).
SNAPSHOT_APPS = ("members", "charter", "account")

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "[clic](javascript:alert(1))",
]
# One string carrying every payload, for fields that take free text.
XSS = " ".join(XSS_PAYLOADS)

_EVENT_HANDLER_IN_TAG = re.compile(r"<[a-z][^>]*\s(onerror|onload)\s*=", re.IGNORECASE)


def snapshot():
    """Every row of every model of the portal, as plain values: compare before and after."""
    state = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


def media_files(root):
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def assert_no_raw_payload(html, where=""):
    """The payloads may appear escaped (``&lt;script&gt;``), never as live markup."""
    text = html if isinstance(html, str) else html.decode()
    assert "<script>alert" not in text, f"raw <script> in {where}"
    assert "<svg onload" not in text.lower(), f"raw <svg onload> in {where}"
    match = _EVENT_HANDLER_IN_TAG.search(text)
    assert match is None, f"event handler inside a tag in {where}: {match and match.group(0)}"
    assert 'href="javascript:' not in text.lower(), f"javascript: link in {where}"
    assert "href='javascript:" not in text.lower(), f"javascript: link in {where}"
