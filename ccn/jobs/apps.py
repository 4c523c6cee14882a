from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "ccn.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # Each app declares the jobs it runs in the background in its own `jobs.py` (ccn/jobs/registry.py).
        autodiscover_modules("jobs")
