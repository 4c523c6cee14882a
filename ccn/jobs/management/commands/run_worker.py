"""The task worker: recovers jobs interrupted by a restart, then runs the queue's worker (the database backend's
`db_worker`, or the Redis backend's `run_redis_tasks` when REDIS_URL is set) on every queue. `--batch` runs what is
queued and stops (the database backend's worker, one task after another, in this process and connection)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from ccn.jobs.services import job_recover_interrupted, worker_id


class Command(BaseCommand):
    help = "Run the background task worker (recovers interrupted jobs first)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between looks at an empty queue.")

    def handle(self, *args, batch=False, interval=0.5, **options):
        found = job_recover_interrupted()
        if found:
            self.stdout.write(f"{found} interrupted job(s) recovered")
        verbosity = options.get("verbosity", 1)
        database = isinstance(task_backends["default"], DatabaseBackend)
        if database and batch:
            self._batch()
        elif database:
            arguments = ["--queue-name", "*", "--interval", str(interval), "--no-reload", "--no-startup-delay"]
            call_command("db_worker", *arguments, worker_id=worker_id()[:64], verbosity=verbosity)
        else:
            arguments = ["--interval", str(interval)] + ([] if batch else ["--continuous"])
            call_command("run_redis_tasks", *arguments, verbosity=verbosity)

    def _batch(self) -> None:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id()[:64],
            excluded_queue_names=[],
        )
        while True:
            with exclusive_transaction():
                result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
                if result is None:
                    return
                result.claim(worker.worker_id)
            worker.run_task(result)
