"""Where the time of one request goes: the four pages of the load runs, in process with Django's test client on the
bench database, under cProfile (docs/benchmarks.md, "Load").

    DATABASE_URL=sqlite:///var/bench.sqlite3 python -m bench.profile [--repeat 20] [--top 25] [--cold]

Each page is asked `--repeat` times after two warm-up requests (warm: the shared cache holds what it may hold;
`--cold` bumps the data version before every request). Prints the CPU milliseconds per request and the functions
with the most cumulative time, grouped into the layers of a request.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

from .__main__ import ROOT, SECRET_KEY, setup_django

# Exclusive time (tottime) of every function, put in the first bucket whose pattern its file or name matches.
BUCKETS = (
    ("SQL (driver and backend)", ("sqlite3", "psycopg", "db/backends/")),
    ("ORM (queries built, rows to objects)", ("django/db/models/",)),
    ("shared cache", ("core/cache/", "core/cache.py", "redis")),
    (
        "templates (rendering, filters, tags)",
        (
            "django/template/",
            "templatetags",
            "django/utils/formats.py",
            "django/utils/numberformat.py",
            "django/templatetags",
        ),
    ),
    ("forms and filters", ("django/forms/", "django_filters")),
    ("sessions and auth", ("contrib/sessions", "contrib/auth", "signing.py")),
    ("menus and context processors", ("context_processors",)),
    ("translation", ("translation/",)),
    ("middleware and request handling", ("middleware", "core/handlers", "django/http/", "test/client.py")),
    ("URLs", ("django/urls/",)),
    ("gzip", ("gzip", "zlib")),
    ("our code (ccn)", ("/ccn/",)),
)


def pages(code: str) -> list[tuple[str, str, bool]]:
    return [
        ("list", "/clusters/?status=operating&sort=name", True),
        ("detail", f"/clusters/{code}/", True),
        ("map_data", "/geo/map/clusters.geojson", True),
        ("portal_search", "/portal/?q=c%E1%BB%A5m", False),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cold", action="store_true", help="bump the data version before every request")
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    assert SECRET_KEY
    from django.test import Client

    from ccn.accounts.choices import Role
    from ccn.accounts.models import User
    from ccn.clusters.models import Cluster
    from ccn.core import dataversion

    ministry, _ = User.objects.get_or_create(username="bench.ministry", defaults={"role": Role.MINISTRY_VIEWER})
    code = Cluster.objects.filter(status="operating").order_by("code").values_list("code", flat=True).first()
    signed_in, public = Client(HTTP_ACCEPT_ENCODING="gzip"), Client(HTTP_ACCEPT_ENCODING="gzip")
    signed_in.force_login(ministry)
    for name, path, needs_login in pages(code):
        if args.only and name not in args.only:
            continue
        client = signed_in if needs_login else public
        for _ in range(2):
            assert client.get(path).status_code == 200, path
        cpu = time.process_time()
        for _ in range(args.repeat):
            if args.cold:
                dataversion.bump()
            response = client.get(path)
            assert response.status_code == 200
        cpu_ms = (time.process_time() - cpu) * 1000 / args.repeat
        profiler = cProfile.Profile(time.process_time)
        for _ in range(args.repeat):
            if args.cold:
                dataversion.bump()
            profiler.enable()
            response = client.get(path)
            profiler.disable()
        stats = pstats.Stats(profiler)
        total = sum(v[2] for v in stats.stats.values()) or 1.0
        size = len(response.content)
        print(f"\n== {name} {path}: {cpu_ms:.1f} ms CPU per request (no profiler), {size:,} bytes sent", flush=True)
        buckets = dict.fromkeys([label for label, _ in BUCKETS] + ["other"], 0.0)
        for (file, _line, func), v in stats.stats.items():
            where = f"{file}:{func}"
            label = next((lb for lb, needles in BUCKETS if any(n in where for n in needles)), "other")
            buckets[label] += v[2]
        for label, seconds in sorted(buckets.items(), key=lambda kv: -kv[1]):
            print(f"   {label:40s} {seconds / total:6.1%}")
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
