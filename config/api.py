"""The REST API under /api/v1/: one NinjaAPI, a router per app, domain errors mapped in one place."""

import logging

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ccn.accounts.auth import ApiAuth
from ccn.core import pagecache
from ccn.core.api import etag
from ccn.core.errors import DomainError

logger = logging.getLogger("ccn.api")


class CcnApi(NinjaAPI):
    """Every error body names the request id (also in the X-Request-Id header) so a user can quote it."""

    def create_response(self, request, data, *args, status=None, temporal_response=None):
        code = temporal_response.status_code if temporal_response else status
        if code and code >= 400 and isinstance(data, dict):
            data = {**data, "request_id": getattr(request, "request_id", None)}
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if response.status_code in (200, 201) and isinstance(data, dict):
            # A versioned record: its ETag is its version, to send back as If-Match (or as `version`) on a write.
            confidential = data.get("confidential")
            version = data.get("version", confidential.get("version") if isinstance(confidential, dict) else None)
            if type(version) is int:
                response["ETag"] = etag(version)
        pagecache.keep(request, response)  # the answer of a read kept in the shared cache (cached_api_read)
        return response

    def get_openapi_schema(self, *args, **kwargs):
        """Reads document their bearer token as optional (anonymous reads see published fields). Every write that
        names a version (it documents 428) also accepts the version as If-Match; every create
        (a POST answering 201) accepts an Idempotency-Key (ccn/core/idempotency.py)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema.get("paths", {}).values():
            for method in ("get", "head"):
                read = item.get(method)
                if isinstance(read, dict) and read.get("security"):
                    # Reads are open to the public (published fields only): the token is optional there, and
                    # the document says so ({} = no credentials), as ApiAuth behaves.
                    read["security"] = [*read["security"], {}]
            create = item.get("post")
            if isinstance(create, dict) and {201, "201"} & set(create.get("responses", {})):
                create.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "Idempotency-Key",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 200},
                        "description": (
                            "Any unique string: a repeat of this request with the same key (a retry, a double click)"
                            " is not executed again but answered as the first was (header Idempotent-Replayed);"
                            " the same key with a different body is refused with 422."
                        ),
                    }
                )
            for operation in item.values():
                if not isinstance(operation, dict) or not {428, "428"} & set(operation.get("responses", {})):
                    continue
                operation.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "If-Match",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": (
                            "The ETag of the record as you read it (or send `version` in the body). Without either"
                            " the write is refused with 428; a stale one with 409 naming who changed it and when."
                        ),
                    }
                )
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        """`ccn_<app>_api_<function>` whichever module of the app's API defines the function, so an app's API can be
        split into modules without changing its operation ids."""
        app = operation.view_func.__module__.split(".")[1]
        return f"ccn_{app}_api_{operation.view_func.__name__}"


api = CcnApi(
    title="CCN API",
    version="1",
    description=(
        "API of CCN, the information system of Vietnam's industrial clusters (cụm công nghiệp). "
        "Authenticate with `Authorization: Bearer <token>` (tokens are issued on the account page) or a signed-in "
        "session with its CSRF token. Anonymous calls see published, public fields only."
    ),
    urls_namespace="api",
    auth=ApiAuth(),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "data")]
        fields.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", ""))
    return api.create_response(
        request,
        {"detail": _("Some fields are invalid."), "code": "validation_error", "errors": fields},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc):
    return api.create_response(
        request, {"detail": _("Sign in or send a valid API token."), "code": "not_authenticated"}, status=401
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": _("Not found."), "code": "not_found"}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    return api.create_response(request, {"detail": str(exc), "code": "http_error"}, status=exc.status_code)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception):
    """A fault of ours: logged with its traceback, answered as JSON (never the HTML error page)."""
    logger.exception("API error %s on %s %s", getattr(request, "request_id", "-"), request.method, request.path)
    return api.create_response(
        request,
        {
            "detail": _("Something went wrong on our side. Quote the request id if you report it."),
            "code": "server_error",
        },
        status=500,
    )


def _mount():
    from ccn.accounts.api import router as accounts
    from ccn.clusters.api import router as clusters
    from ccn.exchange.api import router as exchange
    from ccn.geo.api import router as geo
    from ccn.infrastructure.api import router as infrastructure
    from ccn.obstacles.api import router as obstacles
    from ccn.plans.api import router as plans
    from ccn.portal.api import router as portal
    from ccn.procedures.api import router as procedures
    from ccn.reports.api import router as reports
    from ccn.tenants.api import router as tenants

    api.add_router("/accounts", accounts)
    api.add_router("/admin-units", geo)
    api.add_router("/", clusters)
    api.add_router("/tenants", tenants)
    api.add_router("/infrastructure", infrastructure)
    api.add_router("/reports", reports)
    api.add_router("/plans", plans)
    api.add_router("/obstacles", obstacles)
    api.add_router("/procedures", procedures)
    api.add_router("/portal", portal)
    api.add_router("/exchange", exchange)


_mount()
