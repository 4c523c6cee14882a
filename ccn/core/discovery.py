"""The modules that apps declare by name (`policy.py`, `panels.py`): how a lower layer reads what the apps above
it declare without importing them (docs/architecture.md, "Layers")."""

from __future__ import annotations

import functools
import importlib
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@functools.cache
def app_modules(name: str, labels: tuple[str, ...] | None = None) -> tuple[ModuleType, ...]:
    """The `name` submodule of every CCN app that has one, in the order of INSTALLED_APPS, or of `labels` (app
    labels, e.g. ("tenants", "plans")) when given. An error inside such a module is raised, never taken for its
    absence. Read once per process (the apps do not change while it runs)."""
    if labels is None:
        configs = [config for config in apps.get_app_configs() if config.name.startswith("ccn.")]
    else:
        configs = [apps.get_app_config(label) for label in labels]
    return tuple(
        importlib.import_module(f"{config.name}.{name}")
        for config in configs
        if module_has_submodule(config.module, name)
    )
