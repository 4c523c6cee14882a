"""A create repeated by a double click or a client's retry happens once (docs/security.md).

A POST carrying an `Idempotency-Key` header (API clients) or a `form_token` field (every form of the site renders
one with `{% form_token %}`, in includes/form_fields.html) is executed once per key, per caller and path: the
first request claims the key atomically in the shared cache (`cache.add`), runs, and its answer (status, body,
Location, ETag) is kept for `IDEMPOTENCY_TTL_SECONDS`; a repeat gets that same answer, marked
`Idempotent-Replayed: true`, and nothing is written twice. A repeat arriving while the first is still running waits
for it (up to `IDEMPOTENCY_WAIT_SECONDS`), then is refused with 409. The same Idempotency-Key sent with a different
body is refused with 422; a form token with different content is a new request (the form stayed on the page).
Refusals (4xx) and faults are not kept: the user corrects the input and sends again.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
FORM_FIELD = "form_token"
MAX_KEY_LENGTH = 200
MAX_KEPT_BYTES = 256 * 1024
KEPT_HEADERS = ("Content-Type", "Location", "ETag")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _identity(request) -> str:
    """Who is asking: the bearer token, else the signed-in user, else the address (not the session, which a first
    anonymous post may create, so that its repeat would look like another caller)."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "addr:" + request.META.get("REMOTE_ADDR", "")


def _key_and_fingerprint(request) -> tuple[str, str] | None:
    """The key and a hash of what is sent. A form token is combined with the form's content, so that a form left
    on the page (an htmx form that is not re-rendered) sending other content is a new request; only the same
    content sent again is a repeat."""
    key = request.headers.get(HEADER, "").strip()
    if key:
        return key, hashlib.sha256(request.body).hexdigest()
    if request.content_type in FORM_CONTENT_TYPES:
        key = request.POST.get(FORM_FIELD, "").strip()
        if key:
            fields = sorted(
                (name, value)
                for name, values in request.POST.lists()
                if name not in ("csrfmiddlewaretoken", FORM_FIELD)
                for value in values
            )
            fingerprint = hashlib.sha256(repr(fields).encode("utf-8", "surrogatepass")).hexdigest()
            return f"{key}\n{fingerprint}", fingerprint
    return None


def _lock_seconds() -> int:
    """How long a claim holds if its request dies without releasing it (a killed worker)."""
    return settings.IDEMPOTENCY_WAIT_SECONDS * 6


def _refuse(request, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": message, "code": code, "request_id": getattr(request, "request_id", None)}, status=status
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _replay(kept: dict) -> HttpResponse:
    response = HttpResponse(kept["content"], status=kept["status"])
    for name, value in kept["headers"].items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        found = _key_and_fingerprint(request)
        if found is None:
            return self.get_response(request)
        key, fingerprint = found
        if len(key) > MAX_KEY_LENGTH:
            return _refuse(
                request,
                422,
                "validation_error",
                _("The idempotency key is too long (at most %(limit)s characters).") % {"limit": MAX_KEY_LENGTH},
            )
        base = "idem:" + hashlib.sha256(f"{_identity(request)}\n{request.path}\n{key}".encode()).hexdigest()[:48]
        try:
            kept = cache.get(base + ":done")
            claimed = kept is None and cache.add(
                base + ":lock", fingerprint, timeout=settings.IDEMPOTENCY_WAIT_SECONDS * 6
            )
        except DatabaseError:
            kept, claimed = None, False
        if claimed:
            return self._first(request, base, fingerprint)
        deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT_SECONDS
        while kept is None and time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                kept = cache.get(base + ":done")
                if kept is None and cache.get(base + ":lock") is None:
                    # The first attempt ended without a kept answer (a refusal): this one runs as new. The first
                    # keeps its answer before it lets go of the lock, so once this one holds the lock an answer
                    # kept meanwhile is there to read: the first may have finished between the two reads above.
                    if cache.add(base + ":lock", fingerprint, timeout=_lock_seconds()):
                        kept = cache.get(base + ":done")
                        if kept is None:
                            return self._first(request, base, fingerprint)
                        cache.delete(base + ":lock")
            except DatabaseError:
                pass
        if kept is None:
            return _refuse(
                request,
                409,
                "request_in_progress",
                _("The same request is still being processed. Wait a moment and reload the page."),
            )
        if kept["fingerprint"] != fingerprint:
            return _refuse(
                request,
                422,
                "idempotency_key_reused",
                _("This idempotency key was already used for a different request. Send a new key for a new request."),
            )
        return _replay(kept)

    def _first(self, request, base: str, fingerprint: str) -> HttpResponse:
        try:
            response = self.get_response(request)
            if 200 <= response.status_code < 400 and not response.streaming and len(response.content) <= MAX_KEPT_BYTES:
                kept = {
                    "status": response.status_code,
                    "content": bytes(response.content),
                    "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                    "fingerprint": fingerprint,
                }
                try:
                    cache.set(base + ":done", kept, timeout=settings.IDEMPOTENCY_TTL_SECONDS)
                except DatabaseError:
                    pass
            return response
        finally:
            try:
                cache.delete(base + ":lock")
            except DatabaseError:
                pass
