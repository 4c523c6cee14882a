"""Settings of the test suite, named in the pytest configuration (pyproject.toml) so that every run of pytest —
`make test` or a single module — gets them before Django starts: the fast password hasher (Argon2 costs about
50 ms a sign-in) and the test switches. On SQLite the test database is a file under var/, so a local run with
`--reuse-db` keeps it (migrations are still applied); CI always builds a new one."""

import os

os.environ.setdefault("CCN_TESTING", "1")
os.environ.setdefault("CCN_FAST_HASHER", "1")

from config.settings import *  # noqa: E402, F403
from config.settings import DATABASES, VAR_DIR  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# The suite counts each view's own queries; the tests of the page cache turn it on where they need it.
PAGE_CACHE = False
