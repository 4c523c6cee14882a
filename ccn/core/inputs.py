"""Limits on text input shared by pages and the API (see CleanInputMiddleware and docs/security.md): NFC
normalisation, lone surrogates refused, API bodies must be objects, API dates within 1900–2100."""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

MIN_YEAR = 1900
MAX_YEAR = 2100
_ISO_DATE = re.compile(r"^(\d{4,})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?$")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Refused(Exception):
    def __init__(self, message: str, *, field: str = "__all__", code: str = "invalid_text", status: int = 422):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.code = code
        self.status = status


def clean_text(value: str, *, field: str = "__all__") -> str:
    """NFC-normalised text; a lone surrogate is refused."""
    if _SURROGATE.search(value):
        raise Refused(_("The text contains an invalid character; type it again."), field=field)
    return unicodedata.normalize("NFC", value)


def check_date_text(value: str, *, field: str) -> None:
    match = _ISO_DATE.match(value)
    if match and not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
        raise Refused(
            _("Dates must be between %(low)s and %(high)s.") % {"low": MIN_YEAR, "high": MAX_YEAR},
            field=field,
            code="validation_error",
        )


def _walk(value, *, path: str, dates: bool):
    if isinstance(value, str):
        cleaned = clean_text(value, field=path or "__all__")
        if dates:
            check_date_text(cleaned, field=path or "__all__")
        return cleaned
    if isinstance(value, list):
        return [_walk(v, path=f"{path}.{i}" if path else str(i), dates=dates) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {clean_text(k): _walk(v, path=f"{path}.{k}" if path else str(k), dates=dates) for k, v in value.items()}
    return value


def clean_json_body(request) -> Refused | None:
    body = request.body
    if not body.strip():
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None  # malformed JSON: the API's own parser answers it
    api = request.path.startswith("/api/")
    if api and not isinstance(data, dict):
        return Refused(_("The request body must be a JSON object."), code="validation_error")
    cleaned = _walk(data, path="", dates=api)
    if cleaned != data:
        request._body = json.dumps(cleaned, ensure_ascii=False).encode()
    return None


def clean_form_body(request) -> None:
    body = request.body
    if body.isascii():
        return
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    cleaned = [(clean_text(k), clean_text(v, field=k)) for k, v in pairs]
    if cleaned != pairs:
        request._body = urlencode(cleaned).encode()


def check_query_dates(request) -> Refused | None:
    for key, values in request.GET.lists():
        for value in values:
            check_date_text(value, field=key)
    return None


#: room in a multipart body for the form's other fields and the part headers, beside the file itself
MULTIPART_OVERHEAD = 1024 * 1024


def check_upload_size(request) -> None:
    """Refuse an upload whose declared size is over the limit before a byte of its body is read (413): a 200 MB file
    is turned away at once instead of being spooled to disk and refused afterwards. The file's own check
    (`files.check_upload`) still applies to what is accepted here."""
    if not request.content_type.startswith("multipart/"):
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    limit = int(getattr(settings, "MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
    if length > limit + MULTIPART_OVERHEAD:
        message = _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(length / 1048576, 1),
            "limit": round(limit / 1048576, 1),
        }
        raise Refused(message, field="file", code="file_too_large", status=413)


def refusal_response(request, refusal: Refused):
    if not request.path.startswith(("/api/", "/ogc/")):
        return HttpResponse(refusal.message, status=refusal.status, content_type="text/plain; charset=utf-8")
    return JsonResponse(
        {
            "detail": refusal.message,
            "code": refusal.code,
            "errors": {refusal.field: [refusal.message]},
            "request_id": getattr(request, "request_id", None),
        },
        status=refusal.status,
    )
