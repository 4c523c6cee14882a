"""Two CCN instances on this machine, each its own process and database: a province on SQLite and the national
instance on PostgreSQL. The province pushes its registry and approved Form 04 through the API; the push is
repeated (no change), a record changed on both sides is held, the connection is cut after the national instance
applied a batch but before the province heard back, and the next push resumes (docs/exchange.md).

Runs in the PostgreSQL pass of the suite (the national instance needs the server; see conftest.py)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from ccn.core.testing import BASE_DIR, _drop_database, _free_port
from ccn.exchange.tests.province_seed import SIGNED_PDF

pytestmark = [pytest.mark.slow, pytest.mark.two_instances]
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]


def _run(env, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        MANAGE + list(args), env=env, cwd=BASE_DIR, capture_output=True, text=True, check=check, timeout=300
    )


def _shell(env, code: str) -> str:
    out = _run(env, "shell", "-c", code).stdout.strip().splitlines()
    return out[-1] if out else ""


def _national_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    base, _, db = url.rpartition("/")
    name = f"{db.split('?')[0]}_exchange_national_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"[:63]
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def _setup(env) -> subprocess.Popen:
    script = " && ".join(
        " ".join([sys.executable, str(BASE_DIR / "manage.py"), *cmd])
        for cmd in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["load_admin_units", "-v0"])
    )
    return subprocess.Popen(["bash", "-c", script], env=env, cwd=BASE_DIR, stdout=subprocess.DEVNULL)  # noqa: S603


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exchange")
    common = {**os.environ, "CCN_TESTING": "1", "CCN_FAST_HASHER": "1", "DEBUG": "0"}
    province = {
        **common,
        "DATABASE_URL": f"sqlite:///{tmp / 'province.sqlite3'}",
        "CCN_VAR_DIR": str(tmp / "province"),
        "CCN_INSTANCE_NAME": "khanh-hoa",
    }
    national = {
        **common,
        "DATABASE_URL": _national_url(),
        "CCN_VAR_DIR": str(tmp / "national"),
        "CCN_INSTANCE_NAME": "national",
    }
    # Both databases are built side by side.
    jobs = [_setup(province), _setup(national)]
    assert [job.wait(timeout=300) for job in jobs] == [0, 0]
    _shell(province, "from ccn.exchange.tests.province_seed import seed; seed()")
    tokens = json.loads(_shell(national, "from ccn.exchange.tests.national_seed import seed; seed()"))
    port = _free_port()
    log = open(tmp / "national.log", "wb")  # noqa: SIM115 - closed when the server stops
    server = subprocess.Popen(  # noqa: S603
        MANAGE + ["runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=national,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            assert server.poll() is None, (tmp / "national.log").read_text(errors="replace")
            time.sleep(0.2)
    yield {"province": province, "national": national, "url": url, "tokens": tokens}
    server.terminate()
    server.wait(timeout=10)
    log.close()
    _drop_database(national["DATABASE_URL"])


def _api(url: str, token: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - loopback
        url + "/api/v1/exchange" + path,
        data=json.dumps(body).encode() if body is not None else None,
        method="POST" if body is not None else "GET",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _push(inst, url: str | None = None) -> subprocess.CompletedProcess:
    return _run(
        inst["province"],
        "exchange_push",
        "--province",
        "56",
        "--url",
        url or inst["url"],
        "--token",
        inst["tokens"]["machine"],
        "--timeout",
        "30",
        check=False,
    )


def _kha(inst) -> dict:
    status, rows = _api(inst["url"], inst["tokens"]["ministry"], "/provinces")
    assert status == 200
    return next(r for r in rows if r["province"] == "56")


def _national_row(inst) -> dict:
    status, rows = _api(inst["url"], inst["tokens"]["ministry"], "/national?period_kind=annual&year=2025")
    assert status == 200, rows
    return next(r for r in rows if r["province"] == "56")


def _province_form04(inst) -> dict:
    return json.loads(_shell(inst["province"], "from ccn.exchange.tests.province_seed import form04_values as f; f()"))


def _outgoing_result(inst, sequence: int) -> dict:
    """What the national instance answered to the province's batch, as the province recorded it."""
    code = (
        "from ccn.exchange.models import OutgoingBatch as B; import json; "
        f"print(json.dumps(B.objects.get(sequence={sequence}).result))"
    )
    return json.loads(_shell(inst["province"], code))


def _same_numbers(a: dict, b: dict) -> bool:
    from decimal import Decimal

    def norm(d):
        return {k: None if v is None else Decimal(str(v)) for k, v in d.items()}

    return norm(a) == norm(b)


class CuttingProxy(threading.Thread):
    """Forwards one request to the national instance, lets it answer, then closes the province's connection
    without passing the answer on: the batch is applied there and the province never hears of it."""

    def __init__(self, target_port: int):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.target_port = target_port
        self.forwarded = threading.Event()

    def run(self):
        client, _ = self.sock.accept()
        data = b""
        while b"\r\n\r\n" not in data:
            data += client.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        while len(body) < length:
            body += client.recv(65536)
        with socket.create_connection(("127.0.0.1", self.target_port)) as upstream:
            upstream.sendall(head + b"\r\n\r\n" + body)
            while upstream.recv(65536):  # the whole answer, read and dropped
                pass
        self.forwarded.set()
        client.close()
        self.sock.close()


def test_a_province_pushes_its_registry_and_form04_to_the_national_instance(instances):
    inst = instances
    assert _kha(inst)["state"] == "never"

    # 1. The first push: every record created through the national instance's services.
    first = _push(inst)
    assert first.returncode == 0, first.stderr
    assert "sent [1]" in first.stdout
    kha = _kha(inst)
    assert (kha["state"], kha["batches"], kha["last_sequence"], kha["conflicts_held"]) == ("current", 1, 1, 0)
    row = _national_row(inst)
    province_form04 = _province_form04(inst)
    # The national table shows the province's own approved Form 04, figure for figure …
    assert _same_numbers(row["exchanged"], province_form04)
    assert row["revision"] == 1 and row["approved_by"] == "so.kha.approver" and row["source_instance"] == "khanh-hoa"
    # The signed, sealed cover letter's scan came across as the legal record, byte for byte.
    assert (row["signed_number"], row["signed_on"], row["signer"]) == (
        "125/SCT-QLCN",
        "2026-01-10",
        "GIÁM ĐỐC Trần Văn Minh",
    )
    assert row["signed_scan_sha256"] == hashlib.sha256(SIGNED_PDF).hexdigest()
    stored = _shell(
        inst["national"],
        "from ccn.exchange.models import ExchangedFile as F; import hashlib; "
        f"f = F.objects.get(sha256='{row['signed_scan_sha256']}'); print(hashlib.sha256(f.file.read()).hexdigest())",
    )
    assert stored == row["signed_scan_sha256"]
    # … and the registry it received compiles here to the same figures: dated acts and figures came across.
    assert row["differences"] == []
    assert _same_numbers(row["live"], province_form04)

    # 2. The same push again: nothing to send, nothing changed there.
    again = _push(inst)
    assert again.returncode == 0 and "built 0 batch(es); sent none" in again.stdout
    assert _kha(inst)["batches"] == 1
    # The same batch sent again by hand is answered from its record, applied once.
    payload = json.loads(
        _shell(
            inst["province"],
            "from ccn.exchange.models import OutgoingBatch as B; print(B.objects.get(sequence=1).payload)",
        )
    )
    status, body = _api(inst["url"], inst["tokens"]["machine"], "/batches", payload)
    assert status == 200 and body["replayed"] is True and body["counts"]["created"] == 9
    assert _kha(inst)["batches"] == 1
    # A token of another province cannot send Khánh Hòa's data.
    status, body = _api(inst["url"], inst["tokens"]["other"], "/batches", payload)
    assert status == 403 and body["code"] == "exchange_scope"

    # 3. A record changed on both sides: held for a person, the national copy kept.
    _shell(
        inst["national"],
        "from ccn.accounts.models import User; from ccn.clusters.models import Cluster; "
        "from ccn.clusters.services import cluster_update as u; "
        "u(actor=User.objects.get(username='national.kha'), cluster=Cluster.objects.get(code='KHA-NH2'), "
        "data={'name': 'Cụm công nghiệp Ninh Xuân (Bộ sửa)'})",
    )
    _shell(
        inst["province"],
        "from ccn.accounts.models import User; from ccn.clusters.models import Cluster; "
        "from ccn.clusters.services import cluster_update as u; from decimal import Decimal; "
        "e = User.objects.get(username='so.kha.editor'); "
        "u(actor=e, cluster=Cluster.objects.get(code='KHA-NH2'), data={'name': 'Cụm công nghiệp Ninh Xuân mở rộng'}); "
        "u(actor=e, cluster=Cluster.objects.get(code='KHA-VN3'), data={'name_en': 'Van Ninh craft village cluster'})",
    )
    second = _push(inst)
    assert second.returncode == 0, second.stderr
    batch2 = _outgoing_result(inst, 2)
    results = {r["key"]: r["result"] for r in batch2["results"]}
    assert results == {"56/KHA-NH2": "held", "56/KHA-VN3": "updated"}
    names = _shell(
        inst["national"],
        "from ccn.clusters.models import Cluster as C; print(C.objects.get(code='KHA-NH2').name, '|', "
        "C.objects.get(code='KHA-VN3').name_en)",
    )
    assert names == "Cụm công nghiệp Ninh Xuân (Bộ sửa) | Van Ninh craft village cluster"
    assert _kha(inst)["conflicts_held"] == 1

    # 4. The connection cut after the national instance applied batch 3, before the province heard back.
    _shell(
        inst["province"],
        "from ccn.accounts.models import User; from ccn.clusters.models import Cluster; "
        "from ccn.clusters.services import cluster_update as u; "
        "u(actor=User.objects.get(username='so.kha.editor'), cluster=Cluster.objects.get(code='KHA-VN3'), "
        "data={'name': 'Cụm công nghiệp làng nghề Vạn Ninh (điều chỉnh)'})",
    )
    count_changes = (
        "from ccn.core.models import ChangeRecord as R; from ccn.clusters.models import Cluster as C; "
        "print(R.objects.filter(object_id=str(C.objects.get(code='KHA-VN3').pk), after__name__endswith='(điều chỉnh)')"
        ".count())"
    )
    assert _shell(inst["national"], count_changes) == "0"
    proxy = CuttingProxy(int(inst["url"].rsplit(":", 1)[1]))
    proxy.start()
    cut = _push(inst, url=f"http://127.0.0.1:{proxy.port}")
    assert proxy.forwarded.wait(30)
    assert cut.returncode != 0 and "batch #3 not acknowledged" in cut.stderr
    assert _kha(inst)["last_sequence"] == 3  # applied there all the same
    resumed = _push(inst)
    assert resumed.returncode == 0 and "sent [3]" in resumed.stdout
    replay = _outgoing_result(inst, 3)
    assert replay["replayed"] is True and replay["counts"]["updated"] == 1
    assert _shell(inst["national"], count_changes) == "1"  # applied once, not twice
    kha = _kha(inst)
    assert (kha["batches"], kha["last_sequence"]) == (3, 3)
    # The approved Form 04 is still the province's own.
    assert _same_numbers(_national_row(inst)["exchanged"], province_form04)

    # 5. "Send now": the push runs as a background job in the province's task worker.
    sender = {**inst["province"], "CCN_EXCHANGE_URL": inst["url"], "CCN_EXCHANGE_TOKEN": inst["tokens"]["machine"]}
    job_id = _shell(
        sender,
        "from ccn.accounts.models import User; from ccn.clusters.models import Cluster; "
        "from ccn.clusters.services import cluster_update as u; from ccn.jobs.services import job_submit; "
        "e = User.objects.get(username='so.kha.editor'); "
        "u(actor=e, cluster=Cluster.objects.get(code='KHA-DK1'), data={'name_en': 'Dien Phu industrial cluster'}); "
        "print(job_submit(actor=e, kind='exchange.push', label='push', params={'province': '56'})[0].pk)",
    )
    _run(sender, "run_worker", "--batch")
    job = json.loads(
        _shell(
            sender,
            f"from ccn.jobs.models import Job; import json; j = Job.objects.get(pk='{job_id}'); "
            "print(json.dumps({'status': j.status, 'outcome': j.outcome}))",
        )
    )
    assert job == {"status": "done", "outcome": {"sent": [4]}}
    assert _kha(inst)["last_sequence"] == 4
