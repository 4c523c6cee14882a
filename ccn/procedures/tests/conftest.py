"""Service-level tests read the messages in English; pages and the API pick the language per request."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield
