"""Tools of the attack tests: a snapshot of the database, and checks for unescaped payloads."""

from html.parser import HTMLParser
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


class _LiveMarkup(HTMLParser):
    """Collects what a browser would execute: on* attributes, javascript: links, scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and value.startswith(
                ("javascript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value[:40]}>")
        # A data block (JSON-LD, json_script) is never executed: only real scripts count.
        kind = (dict(attrs).get("type") or "").lower()
        self._in_script = tag == "script" and "json" not in kind

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")


def snapshot():
    """Every row of every model of the portal, as plain values: compare before and after."""
    state = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


def media_files(*roots):
    """Every file under ``roots`` (the public and the private media), by path."""
    return sorted(str(p) for root in roots for p in Path(root).rglob("*") if p.is_file())


def assert_no_raw_payload(html, where=""):
    """The payloads may appear escaped (``&lt;script&gt;``), never as live markup."""
    text = html if isinstance(html, str) else html.decode()
    assert "<script>alert" not in text, f"raw <script> in {where}"
    assert "<svg onload" not in text.lower(), f"raw <svg onload> in {where}"
    assert "<img src=x" not in text.lower(), f"raw <img onerror> in {where}"
    parser = _LiveMarkup()
    parser.feed(text)
    assert not parser.found, f"live markup in {where}: {parser.found}"
