"""The JSON API at /api/v1/: django-ninja, OpenAPI from the code, the same
services and `visible_to` as the pages. Each area adds its router here."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from fourfirsts.api import auth, errors, limits


class ChineseJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "fields"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
    }},
}


def _error_responses() -> dict:
    return {400: _("请求格式有误"), 401: _("未认证"), 403: _("无权操作"), 404: _("不存在或不在范围内"),
            409: _("流程冲突"), 413: _("请求过大"), 422: _("违反业务规则"), 429: _("请求过于频繁")}


class Api(NinjaAPI):
    """Every operation documents the API's error responses (one shape, set by
    errors.install), so clients and schema checkers know them."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, text in _error_responses().items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": str(text), "content": ref}
        return schema


api = Api(
    title=str(_("四个第一 党建工作平台 API")),
    version="1",
    description=str(_("供小程序、H5 页面和其他系统使用。认证：个人 API 令牌（Authorization: Bearer …）或本站会话。"
                      "错误统一为 {\"error\": {\"code\", \"message\", \"fields\"}}。列表按 updated_at 排序，"
                      "以 cursor 翻页，以 updated_since 增量同步（附 deleted）。")),
    auth=auth.AUTH,
    throttle=[limits.PerCaller()],
    renderer=ChineseJSON(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _routers():
    """The areas' routers, imported here so each area keeps its own module."""
    from fourfirsts.api import agenda, figures, governance, ping, registry, service, volunteering

    return [("", ping.router), ("/registry", registry.router), ("/agenda", agenda.router),
            ("/service", service.router), ("/volunteering", volunteering.router),
            ("/governance", governance.router), ("/figures", figures.router)]


for prefix, router in _routers():
    api.add_router(prefix, router)
