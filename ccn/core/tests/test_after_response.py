"""A page is kept once its answer has been sent (`pagecache.after_response`, `KeepAfterResponseMiddleware`): the
write waits for the server to close the response, runs once, and runs at once where no middleware put it off."""

from django.http import HttpResponse
from django.test import RequestFactory

from ccn.core.pagecache import KeepAfterResponseMiddleware, after_response


def test_a_write_put_off_runs_once_when_the_response_is_closed():
    done = []

    def view(request):
        after_response(request, done.append, "kept")
        return HttpResponse("answer")

    response = KeepAfterResponseMiddleware(view)(RequestFactory().get("/"))
    assert done == []  # the answer is not held up by the write
    response.close()
    assert done == ["kept"]
    response.close()
    assert done == ["kept"]


def test_without_the_middleware_the_write_runs_at_once():
    done = []
    after_response(RequestFactory().get("/"), done.append, "kept")
    assert done == ["kept"]
