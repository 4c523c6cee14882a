"""Backup while the app runs and restore: a round trip that compares every table."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )


def _fresh_db(tmp_path) -> str:
    from ccn.core.testing import _fresh_database_url

    return _fresh_database_url(tmp_path, "backup")


FINGERPRINT = (
    "import json; from ccn.core.backup import table_fingerprints; "
    "print(json.dumps(table_fingerprints(), sort_keys=True))"
)


@pytest.mark.slow
def test_backup_and_restore_round_trip(tmp_path):
    env = {**os.environ, "DATABASE_URL": _fresh_db(tmp_path), "CCN_VAR_DIR": str(tmp_path), "DEBUG": "0"}
    for cmd in (["migrate", "-v0"], ["createcachetable"], ["load_admin_units", "-v0"], ["load_sample_data", "-v0"]):
        _manage(env, *cmd)
    before = _manage(env, "shell", "-c", FINGERPRINT).stdout
    target = tmp_path / "copy.bak"
    out = _manage(env, "backup", str(target)).stdout
    assert "backup written" in out and target.stat().st_size > 100_000
    # Change the data after the backup: a cluster edited and deleted rows, then restore.
    _manage(
        env,
        "shell",
        "-c",
        "from ccn.clusters.models import Cluster, ClusterEvent; "
        "Cluster.objects.filter(code='KHA-SONGCAU').update(name='Đã đổi'); ClusterEvent.objects.all().delete()",
    )
    changed = _manage(env, "shell", "-c", FINGERPRINT).stdout
    assert changed != before
    _manage(env, "restore", str(target), "--yes")
    after = _manage(env, "shell", "-c", FINGERPRINT).stdout
    assert after == before
