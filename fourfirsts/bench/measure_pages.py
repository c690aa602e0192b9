"""Pages and API lists through a real server: gunicorn on loopback in a
subprocess, signed in as the committee account, each URL requested N times
after a few warm-ups (p50, p95). Query counts are taken in this process with
the test client, since a server cannot report them; the dashboard cold (cache
cleared) and warm."""

import contextlib
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

PASSWORD = "FourFirsts-2022"  # the demo accounts' password
COMMITTEE = "committee"
PER_URL_S = 2.0  # a slow URL is measured this long (the run must stay near a minute) …
MIN_REQUESTS = 5  # … but at least this many times

# (label, URL name): the main list page of each app.
PAGES = (
    ("associations", "registry:association_list"),
    ("party orgs", "registry:party_org_list"),
    ("enterprises", "registry:enterprise_list"),
    ("people", "registry:person_list"),
    ("topics", "agenda:topic_list"),
    ("meetings", "agenda:meeting_list"),
    ("appeals", "service:appeal_list"),
    ("visits", "service:visit_list"),
    ("volunteer activities", "volunteering:activity_list"),
    ("village projects", "volunteering:project_list"),
    ("membership board", "membership:board"),
    ("coverage", "governance:coverage"),
    ("honours", "governance:honour_list"),
)
# The main API lists, by path (absent ones are noted and skipped).
API_LISTS = (
    "/api/v1/registry/associations",
    "/api/v1/registry/party-orgs",
    "/api/v1/registry/enterprises",
    "/api/v1/registry/people",
    "/api/v1/agenda/topics",
    "/api/v1/agenda/meetings",
    "/api/v1/service/appeals",
    "/api/v1/service/visits",
    "/api/v1/volunteering/activities",
    "/api/v1/volunteering/projects",
    "/api/v1/governance/honours",
)


def percentile(values, p: int) -> float:
    """The p-th percentile, interpolated between the nearest samples."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(env: dict, workers: int = 2):
    """gunicorn on 127.0.0.1 at a free port; yields its base URL and is stopped
    whatever happens."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fourfirsts.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--log-level", "warning", "--timeout", "120", "--preload", "--no-control-socket"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, base, log)
        yield base
    finally:
        _stop(proc)
        log.close()


def _wait_until_up(proc, base, log, timeout=60.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError("gunicorn exited: " + log.read().decode(errors="replace")[-2000:])
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + reverse("accounts:login"), timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def _stop(proc) -> None:
    """Stop the master; then any worker it left behind, by its id."""
    import psutil

    if proc.poll() is not None:
        return
    workers = []
    with contextlib.suppress(psutil.Error):
        workers = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGINT)  # quick shutdown: the measuring is over
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    for worker in workers:
        with contextlib.suppress(psutil.Error):
            worker.kill()


def committee_user():
    from django.contrib.auth import get_user_model

    from fourfirsts.core.access import Role

    users = get_user_model().objects.filter(is_active=True)
    return (users.filter(username=COMMITTEE).first()
            or users.filter(groups__name=Role.COMMITTEE).order_by("id").first())


def signed_in(base: str, user):
    """A requests session signed in as `user`: through the login form with the
    demo password, else (another password) with a session made here. Returns
    (session, how, cleanup)."""
    import requests

    http = requests.Session()
    login = base + reverse("accounts:login")
    page = http.get(login, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token:
        done = http.post(login, data={"username": user.get_username(), "password": PASSWORD,
                                      "csrfmiddlewaretoken": token.group(1)},
                         headers={"Referer": login}, allow_redirects=False, timeout=30)
        if done.status_code == 302 and settings.SESSION_COOKIE_NAME in http.cookies:
            return http, "login form", lambda: _logout(http, base)
    client = Client()
    client.force_login(user)
    http.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return http, "session made in process (the login form refused the demo password)", client.logout


def _logout(http, base) -> None:
    home = http.get(base + reverse("core:home"), timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home.text)
    data = {"csrfmiddlewaretoken": token.group(1)} if token else {}
    http.post(base + reverse("accounts:logout"), data=data, headers={"Referer": base + "/"}, timeout=30)


def latency(http, url: str, n: int, warmups: int) -> dict:
    """Milliseconds per request (the body read in full) over n requests after
    `warmups` ones; a slow URL stops after PER_URL_S seconds (at least MIN_REQUESTS)."""
    seconds = []
    for _warmup in range(warmups):
        http.get(url, allow_redirects=False, timeout=120)
    began = time.perf_counter()
    while len(seconds) < n and (len(seconds) < MIN_REQUESTS or time.perf_counter() - began < PER_URL_S):
        start = time.perf_counter()
        response = http.get(url, allow_redirects=False, timeout=120)
        seconds.append(time.perf_counter() - start)
        if response.status_code != 200:
            return {"error": f"HTTP {response.status_code}"}
    return {"p50_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(percentile(seconds, 95) * 1000, 1), "requests": len(seconds)}


def queries(client, path: str, *, cold: bool = False) -> dict:
    """Queries (and in-process time) of one request; warm: after a first one."""
    if cold:
        cache.clear()
    else:
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - start
    return {"queries": len(captured), "status": response.status_code, "ms": round(elapsed * 1000, 1)}


def targets_list(year: int, appeal_id) -> tuple[list[dict], list[str]]:
    """What to measure: (kind, label, path) rows, and notes on what is absent."""
    rows, notes = [], []
    for label, name in PAGES:
        try:
            rows.append({"kind": "page", "label": label, "path": reverse(name)})
        except NoReverseMatch:
            notes.append(f"page {name}: absent, skipped")
    if appeal_id is not None:
        rows.append({"kind": "detail", "label": "appeal detail",
                     "path": reverse("service:appeal_detail", args=[appeal_id])})
    else:
        notes.append("appeal detail: no appeal in the database, skipped")
    for path in API_LISTS:
        try:
            resolve(path)
        except Resolver404:
            notes.append(f"API {path}: absent, skipped")
            continue
        rows.append({"kind": "api", "label": path.removeprefix("/api/v1/"), "path": path})
    return rows, notes


def measure(base: str, *, year: int, n: int, warmups: int) -> dict:
    """Every page and API list, and the dashboard, against the server at `base`."""
    from fourfirsts.service.models import Appeal

    user = committee_user()
    if user is None:
        return {"skipped": "no active committee account"}
    appeal = Appeal.objects.order_by("-id").values_list("id", flat=True).first()
    rows, notes = targets_list(year, appeal)
    dashboard = f"{reverse('reports:dashboard')}?year={year}"

    client = Client()
    client.force_login(user)
    try:
        for row in rows:
            row.update(queries(client, row["path"]))
        dash = {"kind": "dashboard", "label": "dashboard", "path": dashboard,
                "cold": queries(client, dashboard, cold=True), "warm": queries(client, dashboard)}
    finally:
        client.logout()

    http, how, sign_out = signed_in(base, user)
    try:
        for row in rows:
            row.update(latency(http, base + row["path"], n, warmups))
        cache.clear()  # the dashboard cold: the first request after the cache is cleared
        start = time.perf_counter()
        first = http.get(base + dashboard, allow_redirects=False, timeout=120)
        dash["cold_ms"] = round((time.perf_counter() - start) * 1000, 1)
        if first.status_code != 200:
            dash["error"] = f"HTTP {first.status_code}"
        dash.update(latency(http, base + dashboard, n, warmups))
    finally:
        sign_out()
    return {"signed_in_by": how, "user": user.get_username(), "requests": n, "warmups": warmups,
            "pages": rows, "dashboard": dash, "notes": notes}
