"""Request id: ties every change record written during one request (a bulk edit, an import) together."""

import contextvars
import uuid

from django.conf import settings

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("ccn_request_id", default=None)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-Id"] = request_id
        return response


class StripNulCharactersMiddleware:
    """Remove NUL characters from the query string and from JSON bodies: PostgreSQL cannot store them and no
    legitimate input contains one, so they are dropped before any view sees them rather than failing deeper down.
    (Form posts are covered by Django's own validator, which refuses them with a message.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            request.META["QUERY_STRING"] = query.replace("%00", "").replace("\x00", "")
        if request.method in ("POST", "PUT", "PATCH") and "json" in request.content_type:
            body = request.body
            if b"\\u0000" in body or b"\x00" in body:
                request._body = body.replace(b"\\u0000", b"").replace(b"\x00", b"")
        return self.get_response(request)


class VietnameseFirstMiddleware:
    """The language a user picked, and only that, switches the pages: the header's switch (a cookie, kept on every
    page until changed) or, on a computer without the cookie, the language stored in a signed-in user's profile.
    A browser set to English, common on officers' computers, does not switch the site by itself, on any page the
    signed-in user opens (the portal included). The public investor portal still honours Accept-Language for
    anonymous visitors (foreign companies), and the APIs for every client. Runs after the authentication
    middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(("/api/", "/ogc/")):
            return self.get_response(request)  # machine clients choose with Accept-Language
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and user.language and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = user.language
        if signed_in or not request.path.startswith("/portal/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class CleanInputMiddleware:
    """Text is checked once, before any view: JSON bodies and form posts are normalised to Unicode NFC (so "ế"
    typed on two keyboards is one value), a lone surrogate (which no database can store) is refused with 422, API
    request bodies must be JSON objects, an upload declared larger than the limit is refused with 413 before its
    body is read, and dates (API bodies, every query string) must fall within 1900–2100.
    Refusals carry the request id and a message in the user's language (JSON on the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import inputs

        refusal = None
        try:
            if request.method in ("POST", "PUT", "PATCH"):
                inputs.check_upload_size(request)
                if "json" in request.content_type:
                    refusal = inputs.clean_json_body(request)
                elif request.content_type == "application/x-www-form-urlencoded":
                    inputs.clean_form_body(request)
            if refusal is None:
                refusal = inputs.check_query_dates(request)
        except inputs.Refused as exc:
            refusal = exc
        if refusal is not None:
            return inputs.refusal_response(request, refusal)
        return self.get_response(request)
