"""Spam protection of the inquiry form without a third-party service: a counter per client address and per
e-mail address in the cache, a honeypot field, and size limits (see services.inquiry_submit)."""

from __future__ import annotations

from django.conf import settings

from ccn.core import throttle

# (inquiries, seconds): a person rarely asks about more than a few clusters in ten minutes.
PER_ADDRESS = getattr(settings, "PORTAL_INQUIRIES_PER_ADDRESS", (5, 600))
PER_EMAIL = getattr(settings, "PORTAL_INQUIRIES_PER_EMAIL", (5, 3600))
# The honeypot: a field people do not see (hidden by CSS and from assistive technology) but form-filling
# programs do; its name avoids the words browsers autofill.
HONEYPOT_FIELD = "leave_empty"
# Bodies larger than this are refused before they are parsed.
MAX_BODY_BYTES = 64 * 1024


def over_limit(kind: str, value: str, limit: tuple[int, int]) -> bool:
    """Count one attempt for `value`; True when it is over the limit within the window. Counted atomically in
    the shared cache (ccn.core.throttle), so parallel requests cannot slip through together."""
    if not value:
        return False
    count, window = limit
    return not throttle.claim("portal-inq-" + kind, value.strip().lower(), limit=count, window=window)
