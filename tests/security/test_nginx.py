"""Private files behind nginx, as deployed: the README's nginx block in front of gunicorn with
the production settings, on loopback ports. Anonymous visitors and removed members get 404,
a member of the place gets the bytes (sent by nginx after Django's X-Accel-Redirect), and
guessing /media/<stored name> or /_private/<stored name> gets 404.

The portal runs on its own SQLite file (the test database lives in this process only), with
``tests/security/nginx_settings.py``: production's settings, static files collected plainly.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%EOF\n"

pytestmark = pytest.mark.nginx

# Run in the portal's process (production settings): builds a place, its team and its files,
# and prints the session cookies and the URLs the test requests.
SETUP = r"""
import json, django
django.setup()
from django.core.files.base import ContentFile
from django.test import Client
from members.models import Evidence, Membership
from members.services import reports as report_services
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%EOF\n"  # as below
place = factories.MemberPlaceFactory(slug="lieu-a", name="Lieu A")
place.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
representative = factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE)
removed = factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE)
outsider = factories.MembershipFactory(place=factories.MemberPlaceFactory()).user
signature = factories.SignatureFactory(
    place=place, signed_by=representative.user, minutes=ContentFile(PDF, "pv.pdf")
)
campaign = factories.CampaignFactory(year=2026)
report = report_services.create_report(place=place, campaign=campaign, by=representative.user)
evidence = Evidence(answer=report.answers.first(), label="Compte rendu")
evidence.file.save("compte-rendu.pdf", ContentFile(PDF), save=True)


def cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


cookies = {"allowed": cookie(representative.user), "removed": cookie(removed.user),
           "outsider": cookie(outsider)}
removed.delete()  # removed from the team after signing in: the session stays valid
print(json.dumps({
    "cookies": cookies,
    "files": {
        f"/espace/lieu-a/bilans/2026/preuves/{evidence.pk}/": evidence.file.name,
        f"/espace/lieu-a/signatures/{signature.pk}/proces-verbal/": signature.minutes.name,
    },
    "logo": place.logo.name,
}))
"""


def _nginx():
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _readme_nginx_block():
    text = (ROOT / "README.md").read_text()
    return re.search(r"```nginx\n(.*?)```", text, re.S).group(1)


def _wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answers on {url}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url, session=None):
    """(status, headers, body) without following redirects."""
    request = urllib.request.Request(url)
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """gunicorn (production settings) behind nginx (the README's block); yields what SETUP
    printed, with the nginx address."""
    tmp_path = tmp_path_factory.mktemp("deployed")
    nginx = _nginx()
    assert nginx, "nginx is missing: apt-get install nginx-light (make system-packages)"
    paths = {name: tmp_path / name for name in ("media", "private", "static", "nginx")}
    for path in paths.values():
        path.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.security.nginx_settings",  # production's
        DJANGO_SECRET_KEY="nginx-test-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback
        DJANGO_LOG_LEVEL="WARNING",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="2525",  # never reached: nothing here sends e-mail
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(paths["media"]),
        PRIVATE_MEDIA_ROOT=str(paths["private"]),
        STATIC_ROOT=str(paths["static"]),
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        PYTHONPATH=str(ROOT),
    )
    env.pop("PRIVATE_MEDIA_ACCEL_REDIRECT", None)  # production's default: /_private/

    def run(*args):
        result = subprocess.run(
            [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    run("manage.py", "migrate", "--noinput", "-v0")
    run("manage.py", "createcachetable", "-v0")  # the shared cache without Redis
    run("manage.py", "collectstatic", "--noinput", "-v0")
    setup = json.loads(run("-c", SETUP).strip().splitlines()[-1])

    app_port, web_port = _free_port(), _free_port()
    block = (
        _readme_nginx_block()
        .replace("listen 80;", f"listen 127.0.0.1:{web_port};")
        .replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
        .replace("/srv/lcp/staticfiles/", f"{paths['static']}/")
        .replace("/srv/lcp/var/media/", f"{paths['media']}/")
        .replace("/srv/lcp/var/private/", f"{paths['private']}/")
    )
    temp = paths["nginx"]
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read tmp_path
    (temp / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    {mime}
    access_log {temp}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{block}
}}
"""
    )
    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "lcp_network.wsgi:application",
            "--workers=1",
            f"--bind=127.0.0.1:{app_port}",
            "--log-level=warning",
            f"--worker-tmp-dir={tmp_path}",
        ],
        env=env,
        cwd=ROOT,
    )
    web = subprocess.Popen(
        [nginx, "-p", str(temp), "-c", str(temp / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(f"http://127.0.0.1:{app_port}/healthz", gunicorn)
        _wait_for(f"http://127.0.0.1:{web_port}/healthz", web)
        yield {**setup, "base": f"http://127.0.0.1:{web_port}", "static": paths["static"]}
    finally:
        for process in (web, gunicorn):
            process.terminate()
        for process in (web, gunicorn):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_nginx_serves_private_files_only_after_the_check(deployed):
    base, cookies = deployed["base"], deployed["cookies"]
    for url, name in deployed["files"].items():
        # Anonymous, a removed member, a member of another place: the file does not exist.
        for who in (None, cookies["removed"], cookies["outsider"]):
            status, headers, body = _get(base + url, who)
            assert status == 404, (url, who, status)
            assert PDF not in body
        # A member of the place: nginx sends the bytes Django pointed it to.
        status, headers, body = _get(base + url, cookies["allowed"])
        assert status == 200, (url, status)
        assert body == PDF
        assert headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"].startswith("attachment")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Accel-Redirect" not in headers  # nginx keeps it to itself
        # Guessing where the file is stored: nothing, even with a valid session.
        for guess in (f"/media/{name}", f"/_private/{name}"):
            for who in (None, cookies["allowed"]):
                status, _headers, body = _get(base + guess, who)
                assert status == 404, (guess, status)
                assert PDF not in body


def test_nginx_still_serves_public_media_and_static_files(deployed):
    base = deployed["base"]
    status, _headers, body = _get(f"{base}/media/{deployed['logo']}")
    assert status == 200 and body.startswith(b"\x89PNG")
    status, _headers, body = _get(f"{base}/static/css/site.css")
    assert status == 200 and body == (ROOT / "static" / "css" / "site.css").read_bytes()
