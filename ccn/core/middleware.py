"""Request id: ties every change record written during one request (a bulk edit, an import) together."""

import contextvars
import uuid

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
