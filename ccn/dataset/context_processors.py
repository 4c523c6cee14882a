"""Whether the synthetic dataset (`generate_dataset`, cluster codes SYN-…) is loaded, for the demo banner every page
shows then."""

from django.conf import settings

from ccn.clusters.models import Cluster

_demo_data: list[bool] = []


def demo_data_loaded() -> bool:
    """Asked once per process, and only when DEBUG is on (the demo of `make run`), so pages of a real deployment
    make no query for it."""
    if not settings.DEBUG:
        return False
    if not _demo_data:
        _demo_data.append(Cluster.objects.filter(code__startswith="SYN-").exists())
    return _demo_data[0]


def demo(request):
    return {"demo_data": demo_data_loaded()}
