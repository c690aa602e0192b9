"""Rate limits per token (or per signed-in user, or per address for the
public endpoints) in the shared cache, so every web process counts the same
requests; a size limit on request bodies before anything reads them; and the
API's error shape for what Django answers before the API sees the request
(an unknown path, a method not allowed)."""

import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.throttling import BaseThrottle

from fourfirsts.api.errors import body
from fourfirsts.core import counters
from fourfirsts.core.audit import client_ip

SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse(rate: str) -> tuple[int, int]:
    """"600/m" → (600, 60): so many requests per second, minute, hour or day."""
    count, per = rate.split("/")
    return int(count), SECONDS[per.strip()[0]]


class PerCaller(BaseThrottle):
    """`FOURFIRSTS_API_RATE` requests per window ("600/m"; "0" switches it off),
    counted in fixed windows with the cache's atomic increment. The instance is
    shared by every request and thread, so it keeps no per-request state: the
    wait goes on the request."""

    def allow_request(self, request) -> bool:
        rate = settings.FOURFIRSTS_API_RATE
        if rate in (None, "", "0"):
            return True
        allowed, seconds = _parse(rate)
        now = time.time()
        window = int(now // seconds)
        if counters.count(f"throttle:api:{self.ident(request)}:{window}", seconds + 1) <= allowed:
            return True
        request.throttle_wait = (window + 1) * seconds - now
        return False

    def wait(self):
        return None  # the handler reads request.throttle_wait

    @staticmethod
    def ident(request) -> str:
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"token:{token.pk}"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"ip:{client_ip(request)}"


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(body(code, message), status=status, json_dumps_params={"ensure_ascii": False})


class BodySizeLimit:
    """For /api/ paths: refuse a declared body over the limit before it is
    read, and give Django's own 404 and 405 (no such endpoint, a method the
    endpoint does not take) the API's error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.FOURFIRSTS_API_MAX_BODY
        if length > limit:
            return _error("too_large", _("请求内容过大（上限 %(n)s KB）") % {"n": limit // 1024}, 413)
        response = self.get_response(request)
        if response.status_code in (404, 405) and not response.get("Content-Type", "").startswith("application/json"):
            if response.status_code == 404:
                return _error("not_found", _("没有这个接口：%(path)s") % {"path": request.path}, 404)
            allowed = response.get("Allow", "")
            error = _error("method_not_allowed", _("此接口不接受 %(method)s 请求（可用：%(allowed)s）")
                           % {"method": request.method, "allowed": allowed or "-"}, 405)
            if allowed:
                error["Allow"] = allowed
            return error
        return response
