"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from ccn.core.deploy import refuse_unsafe_start  # noqa: E402 - needs the settings loaded

refuse_unsafe_start()
