"""The task queue as a health check (health and readiness endpoints, docs/production.md): the database backend's
table answers, or the Redis backend's server answers a ping."""

import dataclasses

from django.tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """Reads the queue of the default task backend."""

    alias: str = "default"

    def run(self) -> None:
        backend = task_backends[self.alias]
        try:
            if isinstance(backend, DatabaseBackend):
                DBTaskResult.objects.filter(status="READY").exists()
            else:
                backend.get_client().ping()
        except Exception as exc:
            raise ServiceUnavailable("task queue unavailable") from exc
