from django.apps import AppConfig


class DatasetConfig(AppConfig):
    """The synthetic national dataset (`generate_dataset`) for benchmarks: it writes into every app, so it sits
    at the top of the layers."""

    name = "ccn.dataset"
    label = "dataset"
