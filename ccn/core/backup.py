"""Consistent backups while the app runs, and restores: SQLite's online backup API, or pg_dump/pg_restore."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection


def _pg_env_and_args(settings_dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432)]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    return env, args


def backup_to(path: Path) -> Path:
    """Write a consistent copy of the database to `path` (an SQLite file, or a pg_dump custom archive)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # The online backup copies pages consistently even while other processes write.
            connection.connection.backup(target)
        finally:
            target.close()
        return path
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(db)
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(path), *args, db["NAME"]], env=env, check=True)
        return path
    raise RuntimeError(f"backups of {connection.vendor} are not supported")


def restore_from(path: Path) -> None:
    """Replace the database's contents with the backup at `path`."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args(db)
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                db["NAME"],
                *args,
                str(path),
            ],
            env=env,
            check=True,
        )
        return
    raise RuntimeError(f"restores of {connection.vendor} are not supported")


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table, to compare two databases."""
    result = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{pk}"')  # noqa: S608 - table names from models
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    return result
