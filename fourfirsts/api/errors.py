"""One error shape for every failure, set here for the whole API:
`{"error": {"code": "...", "message": "中文说明", "fields": {...}}}`.

400 a malformed request (its fields named), 401 no valid credentials, 403 not
allowed, 404 not found or not visible, 409 a workflow conflict, 413 too
large, 422 a valid request that breaks a rule, 429 too many requests."""

import logging

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestInvalid

from fourfirsts.core.workflow import WorkflowError

log = logging.getLogger(__name__)


class Conflict(Exception):
    """The record moved since the client read it: nothing was done."""

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message, self.fields = message, fields or {}


def body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


# pydantic's error types, said in Chinese.
PYDANTIC_WORDS = {
    "missing": gettext_lazy("必填"),
    "int_parsing": gettext_lazy("应为整数"),
    "int_type": gettext_lazy("应为整数"),
    "float_parsing": gettext_lazy("应为数字"),
    "decimal_parsing": gettext_lazy("应为数字"),
    "bool_parsing": gettext_lazy("应为 true 或 false"),
    "date_from_datetime_parsing": gettext_lazy("应为日期（YYYY-MM-DD）"),
    "date_parsing": gettext_lazy("应为日期（YYYY-MM-DD）"),
    "datetime_parsing": gettext_lazy("应为日期时间（ISO 8601）"),
    "datetime_from_date_parsing": gettext_lazy("应为日期时间（ISO 8601）"),
    "string_type": gettext_lazy("应为字符串"),
    "string_too_long": gettext_lazy("过长"),
    "string_too_short": gettext_lazy("过短"),
    "greater_than_equal": gettext_lazy("过小"),
    "less_than_equal": gettext_lazy("过大"),
    "literal_error": gettext_lazy("不是允许的取值"),
    "enum": gettext_lazy("不是允许的取值"),
    "json_invalid": gettext_lazy("不是有效的 JSON"),
    "model_attributes_type": gettext_lazy("格式不对"),
    "dict_type": gettext_lazy("应为对象"),
    "list_type": gettext_lazy("应为数组"),
    "extra_forbidden": gettext_lazy("不是可用的字段"),
    "too_long": gettext_lazy("过长"),
    "too_short": gettext_lazy("过短"),
    "string_pattern_mismatch": gettext_lazy("格式不对"),
    "finite_number": gettext_lazy("应为有限的数字"),
    "int_from_float": gettext_lazy("应为整数，不能有小数"),
    "greater_than": gettext_lazy("过小"),
    "less_than": gettext_lazy("过大"),
    "decimal_max_digits": gettext_lazy("位数过多"),
    "decimal_max_places": gettext_lazy("小数位数过多"),
    "decimal_whole_digits": gettext_lazy("整数位数过多"),
    "decimal_type": gettext_lazy("应为数字"),
    "float_type": gettext_lazy("应为数字"),
    "bool_type": gettext_lazy("应为 true 或 false"),
    "date_type": gettext_lazy("应为日期（YYYY-MM-DD）"),
    "datetime_type": gettext_lazy("应为日期时间（ISO 8601）"),
    "string_unicode": gettext_lazy("应为有效的文字"),
    "union_tag_invalid": gettext_lazy("不是允许的取值"),
}


def _words(error: dict) -> str:
    """The Chinese words for one pydantic error: ours, or the message our own
    validator raised (value_error), else pydantic's text as a last resort."""
    kind = error.get("type", "")
    if kind == "value_error" and error.get("ctx", {}).get("error"):
        return str(error["ctx"]["error"])
    words = PYDANTIC_WORDS.get(kind)
    return str(words) if words else error.get("msg", "")


def _request_fields(errors) -> dict:
    fields = {}
    for e in errors:
        # loc is ("query", "limit") or ("body", "payload", "note"): keep the field's own path.
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path", "payload", "header", "filters",
                                                             "page")]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(_words(e))
    return fields


def install(api) -> None:
    def respond(request, status: int, code: str, message, fields=None, headers=None):
        response = api.create_response(request, body(code, message, fields), status=status)
        for k, v in (headers or {}).items():
            response[k] = v
        return response

    @api.exception_handler(RequestInvalid)
    def malformed(request, exc):
        fields = _request_fields(exc.errors)
        named = "、".join(k for k in fields if k != "__all__")
        message = _("请求格式有误：%(fields)s") % {"fields": named} if named else _("请求格式有误")
        return respond(request, 400, "malformed", message, fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, 401, "unauthenticated", _("未登录或令牌无效、已过期、已撤销"),
                       headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, "forbidden", str(exc) or _("您的角色无权执行此操作"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, "not_found", str(exc) or _("记录不存在"))

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request, exc):
        return respond(request, 404, "not_found", _("记录不存在"))

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        return respond(request, 409, "conflict", exc.message, exc.fields)

    @api.exception_handler(WorkflowError)
    def workflow(request, exc):
        return respond(request, 409, "conflict", "；".join(exc.messages), _fields(exc))

    @api.exception_handler(ValidationError)
    def rule(request, exc):
        return respond(request, 422, "rule", "；".join(exc.messages), _fields(exc))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        wait = int(getattr(request, "throttle_wait", None) or exc.wait or 1) + 1
        return respond(request, 429, "throttled", _("请求过于频繁，请 %(n)s 秒后再试") % {"n": wait},
                       headers={"Retry-After": str(wait)})

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, 413, "too_large", _("请求内容过大"))

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        message = str(exc)
        if message.startswith("Cannot parse request body"):  # ninja's own words for a body that is not JSON
            message = _("请求内容不是有效的 JSON")
        retry = getattr(exc, "retry_after", None)
        return respond(request, exc.status_code, _code(exc.status_code), message,
                       headers={"Retry-After": str(retry)} if retry else None)

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, "server_error", _("服务器内部错误，已记录，请稍后再试或联系系统管理员"))


def _fields(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in ValidationError(v).messages] for k, v in exc.error_dict.items()}
    return {}


def _code(status: int) -> str:
    return {400: "malformed", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
            409: "conflict", 413: "too_large", 422: "rule", 429: "throttled"}.get(status, "error")


class TooMany(HttpError):
    """429 with the seconds until the limit lifts (Retry-After)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(429, message)
        self.retry_after = retry_after


class RequestInvalidCursor(HttpError):
    def __init__(self, message: str):
        super().__init__(400, message)
