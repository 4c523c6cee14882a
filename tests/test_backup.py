"""Backup while the app runs and restore: a round trip that compares every table."""

import subprocess
import sys
from pathlib import Path

import pytest

from ccn.core.testing import fresh_install

ROOT = Path(__file__).resolve().parent.parent


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )


FINGERPRINT = (
    "import json; from ccn.core.backup import table_fingerprints; "
    "print(json.dumps(table_fingerprints(), sort_keys=True))"
)


@pytest.mark.slow
def test_backup_and_restore_round_trip(tmp_path_factory):
    # A fresh install (the migrated database is built once per run and copied) with the sample data.
    env, tmp_path = fresh_install(tmp_path_factory, "backup", [["load_sample_data", "-v0"]])
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
