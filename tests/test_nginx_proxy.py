"""The runbook's nginx configuration in front of Heard, with a real nginx (Debian's).

Behind nginx with HEARD_TRUSTED_PROXY_COUNT=1, each person is limited by their own
address: what a client writes in X-Forwarded-For is ignored, two people behind the
same proxy do not share a limit. Skipped where nginx is not installed (bin/run-tests
installs it).
"""

import http.client
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from heard.people.views_public import MAIL_REQUESTS_PER_CLIENT_PER_HOUR

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")

# The proxy part of docs/runbook.md (without TLS, on loopback).
CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream heard {{ server {upstream}; keepalive 8; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 60m;
        client_body_timeout 30s;
        client_header_timeout 30s;
        send_timeout 30s;
        location / {{
            proxy_pass http://heard;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def nginx(live_server, tmp_path):
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    conf = tmp_path / "nginx.conf"
    conf.write_text(CONF.format(tmp=tmp_path, upstream=upstream, port=port))
    proc = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off; user root;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail(f"nginx did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def _ask_for_a_link(port: int, *, source: str, email: str, spoof: str = "") -> int:
    """GET the member sign-in page and POST it, from ``source``, through nginx."""

    def request(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=30)
        conn.request(method, path, body=body, headers={"Host": "testserver", **(headers or {})})
        response = conn.getresponse()
        data = response.read().decode()
        conn.close()
        return response, data

    extra = {"X-Forwarded-For": spoof} if spoof else {}
    response, page = request("GET", "/sign-in/", headers=extra)
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response, _ = request(
        "POST",
        "/sign-in/",
        body=urlencode({"csrfmiddlewaretoken": token, "email": email}),
        headers={
            "Cookie": f"csrftoken={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            **extra,
        },
    )
    return response.status


def test_behind_nginx_each_client_has_its_own_limit_and_cannot_spoof_another(
    nginx, settings, transactional_db
):
    settings.HEARD_TRUSTED_PROXY_COUNT = 1
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    limit = MAIL_REQUESTS_PER_CLIENT_PER_HOUR
    # One machine, a different made-up address in X-Forwarded-For each time: one limit.
    codes = [
        _ask_for_a_link(nginx, source="127.0.0.2", email=f"p{n}@example.org", spoof=f"10.9.9.{n}")
        for n in range(limit + 1)
    ]
    assert codes == [302] * limit + [429]
    # Someone else behind the same nginx is not affected.
    assert _ask_for_a_link(nginx, source="127.0.0.3", email="other@example.org") == 302


# --- slow clients: nginx reads each request whole before gunicorn sees it ---------------


def _gunicorn(tmp_path, threads: int) -> tuple[subprocess.Popen, int]:
    """The runbook's gunicorn (gthread), small: one worker with ``threads`` threads."""
    import os
    import sys

    port = _free_port()
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heard.settings.test"}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "heard.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "60",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            _get(port, timeout=2)
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("gunicorn did not start")


def _get(port: int, timeout: float) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", "/static/heard/heard.css", headers={"Host": "127.0.0.1"})
    status = conn.getresponse().status
    conn.close()
    return status


def _slow_senders(port: int, count: int) -> list[socket.socket]:
    """Clients that start a POST and then send its body a byte at a time, slowly."""
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(
            b"POST /get-involved/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nx"
        )
        socks.append(s)
    return socks


def _fast_client_served_while_slow_ones_send(port: int, slow: int) -> bool:
    socks = _slow_senders(port, slow)
    try:
        time.sleep(0.5)  # gunicorn's threads have taken the slow connections, if they reach it
        try:
            return _get(port, timeout=3) == 200
        except OSError:  # timed out: every thread is waiting on a slow sender
            return False
    finally:
        for s in socks:
            s.close()


def test_behind_the_runbooks_nginx_slow_senders_do_not_hold_gunicorns_threads(tmp_path):
    """Straight to gunicorn, as many slow senders as threads stop everyone else; behind
    the runbook's nginx (proxy_request_buffering on) the same senders do not."""
    proc, upstream = _gunicorn(tmp_path, threads=2)
    nginx_proc = None
    try:
        assert not _fast_client_served_while_slow_ones_send(upstream, slow=2)
        port = _free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(CONF.format(tmp=tmp_path, upstream=f"127.0.0.1:{upstream}", port=port))
        nginx_proc = subprocess.Popen(
            [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off; user root;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        assert _fast_client_served_while_slow_ones_send(port, slow=8)
    finally:
        if nginx_proc is not None:
            nginx_proc.terminate()
            nginx_proc.wait(timeout=10)
        proc.terminate()
        proc.wait(timeout=20)
