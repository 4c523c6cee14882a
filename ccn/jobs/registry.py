"""The kinds of background job. An app declares each in its `jobs.py`:

    @handler("tenants.import")
    def import_commit(job, progress): ...

The worker looks the kind of a job up here (never a dotted path read from the database). A handler reads its
parameters from `job.params` (and its uploaded file from `job.input`), reports `progress(done, total)` (which raises
`Cancelled` when the user cancelled), and either returns, having stored its result with `services.job_store_result`
or `services.job_finish`, or raises: a `DomainError` fails the job with its message, `Retry` queues it again later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HANDLERS: dict[str, Callable] = {}


@dataclass
class Retry(Exception):  # noqa: N818 - an instruction to the worker, not an error
    """Run the job again after `delay` seconds (e.g. a mail server that did not answer)."""

    reason: str = ""
    delay: float | None = None


def handler(kind: str):
    def register(func: Callable) -> Callable:
        HANDLERS[kind] = func
        return func

    return register
