"""The bench's own arithmetic and parsing: percentiles, wrk's summary, the import file it uploads."""

import csv
import io
import random

import pytest

from bench import peers
from bench.server import percentile

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/clusters/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   627.12ms  120.50ms   1.10s    70.00%
    Req/Sec    23.50     10.20    50.00     60.00%
  Latency Distribution
     50%  627.00ms
     75%  700.00ms
     90%  780.00ms
     99%    1.11s
  237 requests in 5.02s, 16.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:     47.21
Transfer/sec:      3.19MB
"""


def test_percentile_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0
    assert percentile([3, 1, 2], 95) == 3


def test_wrk_summary_is_read(monkeypatch):
    class Done:
        stdout = WRK_OUTPUT

    monkeypatch.setattr(peers.subprocess, "run", lambda *a, **k: Done())
    r = peers.wrk("http://x/", connections=32, seconds=5, headers={"Cookie": "a=b"})
    assert r["rps"] == pytest.approx(47.21)
    assert r["requests"] == 237
    assert r["p50_ms"] == pytest.approx(627.0)
    assert r["p99_ms"] == pytest.approx(1110.0)
    assert r["errors"] == 2 + 3 + 4


@pytest.mark.django_db
def test_import_file_has_the_import_columns_and_new_names():
    from bench.__main__ import IMPORT_PREFIX, import_file
    from ccn.dataset import Context, Sizes, registry
    from ccn.tenants.columns import TENANT_COLUMNS

    registry.generate(Context(seed=4, sizes=Sizes(clusters=30, tenant_projects=60)))
    data = import_file(["SYN-01-00000"], 25, random.Random(1)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == [c.vi for c in TENANT_COLUMNS]
    assert len(rows) == 26
    names = [r[[c.key for c in TENANT_COLUMNS].index("name")] for r in rows[1:]]
    assert len(set(names)) == 25 and all(n.startswith(IMPORT_PREFIX) for n in names)
