"""`with_urls` (ccn/core/views_helpers.py): each row gets the address `reverse` gives it, reversed once."""

from types import SimpleNamespace

from django.urls import reverse

from ccn.core.views_helpers import with_urls


def test_with_urls_gives_each_row_the_address_reverse_gives():
    # ids that hold the placeholder's digits and one longer than it
    rows = [SimpleNamespace(pk=pk) for pk in (1, 9, 12, 987, 987654321, 98765432198, 9876543219870)]
    for name in ("tenants:detail", "obstacles:detail"):
        assert [r.url for r in with_urls(name, rows)] == [reverse(name, args=[r.pk]) for r in rows]
