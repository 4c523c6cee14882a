"""Writes of the portal: a cluster's public offer, inquiries from the public (with spam protection and the
acknowledgement e-mail), and the one transition service that moves an inquiry along."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ccn.accounts.choices import PROVINCE_ROLES
from ccn.accounts.models import User
from ccn.accounts.scope import role_of
from ccn.clusters.models import Cluster
from ccn.core.errors import DomainError, PermissionDeniedError, ValidationFailed, fields_error
from ccn.core.history import record_change, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none, refuse_unknown
from ccn.core.transitions import record_start, run_transition

from . import spam
from .choices import Currency, LeadStatus, PriceUnit, Timeline
from .models import OFFER_FIELDS, ClusterOffer, Lead
from .selectors import can_manage_cluster, lead_scope_q, parse_sector, public_clusters
from .workflow import LEAD_WORKFLOW


class RateLimited(DomainError):
    http_status = 429
    code = "rate_limited"


def RATE_LIMIT_MESSAGE() -> str:  # noqa: N802 - a message, translated when it is shown
    return _("Too many inquiries from your address. Please wait a few minutes and try again.")


TEXT_LIMITS = {"fees_note": 2000, "utilities": 3000}
INQUIRY_LIMITS = {
    "company": 200,
    "contact_name": 120,
    "email": 254,
    "phone": 40,
    "sector_code": 5,
    "timeline": 10,
    "message": 5000,
}


_user = actor_or_none


def _too_long(data: dict, limits: dict[str, int]) -> dict[str, list[str]]:
    errors = {}
    for name, limit in limits.items():
        value = data.get(name)
        if isinstance(value, str) and len(value) > limit:
            errors[name] = [
                _("At most %(limit)s characters; this has %(length)s.") % {"limit": limit, "length": len(value)}
            ]
    return errors


def _refuse(errors: dict[str, list[str]]):
    raise fields_error(errors)


# --- offers --------------------------------------------------------------------------------------------------


def _yearly_vnd(price: Decimal | None, offer: ClusterOffer) -> Decimal | None:
    if price is None:
        return None
    value = Decimal(price)
    if offer.currency == Currency.USD:
        value *= offer.exchange_rate
    if offer.price_unit == PriceUnit.M2_TERM:
        value /= offer.term_years
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def offer_save(*, actor, cluster: Cluster, data: dict, expected_version: int | None = None) -> ClusterOffer:
    """Create or change a cluster's offer (prices, fees, utilities, public contact); only its infrastructure
    investor, the province's Department or an administrator may."""
    if not can_manage_cluster(actor, cluster):
        raise PermissionDeniedError(_("Only the cluster's infrastructure investor or the province may edit its offer."))
    refuse_unknown(data, OFFER_FIELDS)

    def fill(row):
        for key, value in data.items():
            setattr(row, key, "" if value is None and key in ("fees_note", "utilities") else value)
        errors = _too_long(data, TEXT_LIMITS)
        has_price = row.price_min is not None or row.price_max is not None
        if has_price and row.currency == Currency.USD and not row.exchange_rate:
            errors["exchange_rate"] = [_("Give the exchange rate for prices in USD.")]
        if has_price and row.price_unit == PriceUnit.M2_TERM and not row.term_years:
            errors["term_years"] = [_("Give the lease term for a price for the whole term.")]
        try:
            row.full_clean(exclude=["cluster"])
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
        if errors:
            _refuse(errors)
        low = row.price_min if row.price_min is not None else row.price_max
        high = row.price_max if row.price_max is not None else row.price_min
        row.price_min_vnd_m2_year = _yearly_vnd(low, row)
        row.price_max_vnd_m2_year = _yearly_vnd(high, row)
        row.is_sample = False  # a person's save makes it real data; only load_sample_portal flags samples

    offer = ClusterOffer.objects.select_for_update().filter(cluster=cluster).first()
    if offer is not None:
        return versioned_update(offer, actor=actor, expected_version=expected_version, lock=False, apply=fill)
    offer = ClusterOffer(cluster=cluster)
    fill(offer)
    offer.updated_by = _user(actor)
    offer.save()
    record_change(actor=actor, obj=offer, action=ChangeAction.CREATE, after=snapshot(offer))
    return offer


# --- inquiries -----------------------------------------------------------------------------------------------


def _new_reference() -> str:
    return f"YC-{timezone.localdate():%y%m}-{secrets.token_hex(4).upper()}"


def inquiry_submit(
    *,
    cluster_code: str,
    data: dict,
    client_address: str = "",
    honeypot: str = "",
    language: str = "vi",
    base_url: str = "",
) -> Lead:
    """An inquiry from the public about a published cluster: refused when the address or e-mail has sent too
    many, when the honeypot is filled, or when a field is invalid or too long; then routed to the cluster's
    infrastructure investor and the province, and acknowledged to the enquirer by e-mail after the commit.
    Not one transaction on purpose: the counters must survive a refusal (the cache may live in the database)."""
    if spam.over_limit("addr", client_address, spam.PER_ADDRESS):
        raise RateLimited(RATE_LIMIT_MESSAGE())
    if honeypot:
        raise ValidationFailed(
            _("The inquiry was refused: a field that must stay empty was filled in."), code="honeypot"
        )
    lead = _inquiry_build(cluster_code=cluster_code, data=data, language=language)
    if spam.over_limit("email", lead.email, spam.PER_EMAIL):
        raise RateLimited(_("Too many inquiries from this e-mail address. Please try again later."))
    return _inquiry_save(lead, base_url)


def _inquiry_build(*, cluster_code: str, data: dict, language: str) -> Lead:
    cluster = public_clusters().select_related("province", "investor").filter(code=cluster_code).first()
    if cluster is None:
        raise ValidationFailed(
            _("This cluster is not on the investor portal; inquiries can only be sent about published clusters."),
            code="not_published",
        )
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    errors = _too_long(data, INQUIRY_LIMITS)
    if errors:
        _refuse(errors)
    if data.get("sector_code"):
        try:
            data["sector_code"] = parse_sector(data["sector_code"], on=timezone.localdate()).code
        except ValidationFailed as exc:
            errors["sector_code"] = [exc.message]
    if data.get("timeline") and data["timeline"] not in Timeline.values:
        errors["timeline"] = [_("Choose a timeline from the list.")]
    lead = Lead(
        cluster=cluster,
        investor=cluster.investor,
        province=cluster.province,
        company=data.get("company") or "",
        contact_name=data.get("contact_name") or "",
        email=data.get("email") or "",
        phone=data.get("phone") or "",
        sector_code=data.get("sector_code") or "",
        land_needed_ha=data.get("land_needed_ha"),
        timeline=data.get("timeline") or "",
        message=data.get("message") or "",
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        status=LeadStatus.NEW,
        reference=_new_reference(),
    )
    try:
        lead.full_clean(exclude=["reference", "sector_code", "timeline", "cluster", "province", "investor"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        _refuse(errors)
    return lead


@transaction.atomic
def _inquiry_save(lead: Lead, base_url: str) -> Lead:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                lead.save()
            break
        except IntegrityError:
            lead.reference = _new_reference()
    record_start(lead, LEAD_WORKFLOW, actor=None, action="submit")
    record_change(
        actor=None, obj=lead, action=ChangeAction.CREATE, after={"cluster": lead.cluster.code, "status": "new"}
    )
    transaction.on_commit(lambda: _send_inquiry_mails(lead.pk, base_url))
    return lead


def lead_recipients(lead: Lead) -> list[str]:
    """Who is told of a new inquiry: the investor's users and contact e-mails, and the province's Department."""

    emails = set(
        User.objects.filter(is_active=True, province_id=lead.province_id, role__in=list(PROVINCE_ROLES))
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if lead.cluster.investor_id:
        emails |= set(
            User.objects.filter(is_active=True, organisation_id=lead.cluster.investor_id, role="investor")
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if lead.cluster.investor.contact_email:
            emails.add(lead.cluster.investor.contact_email)
    offer_email = ClusterOffer.objects.filter(cluster_id=lead.cluster_id).values_list("contact_email", flat=True)
    emails |= {e for e in offer_email if e}
    return sorted(emails)


def _send_inquiry_mails(lead_pk: int, base_url: str) -> None:
    lead = Lead.objects.select_related("cluster__investor", "cluster__province").get(pk=lead_pk)
    offer = ClusterOffer.objects.filter(cluster_id=lead.cluster_id, is_published=True).first()
    with translation.override(lead.language):
        context = {"lead": lead, "cluster": lead.cluster, "offer": offer, "base_url": base_url.rstrip("/")}
        send_mail(
            _("[CCN] We received your inquiry %(reference)s") % {"reference": lead.reference},
            render_to_string("portal/email/acknowledgement.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [lead.email],
            fail_silently=True,
        )
    recipients = lead_recipients(lead)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                _("[CCN] New inquiry %(reference)s about %(cluster)s")
                % {"reference": lead.reference, "cluster": lead.cluster.name},
                render_to_string("portal/email/new_lead.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
                fail_silently=True,
            )


@transaction.atomic
def lead_transition(*, actor, lead: Lead, action: str, note: str = "", expected_version: int | None = None) -> Lead:
    """Move an inquiry along (new → contacted → site visit → signed or lost): the only code that writes its
    status. The cluster's investor and the province's Department may; each step is kept with its note."""
    note = (note or "").strip()

    def validate(locked, transition):
        if len(note) > 2000:
            _refuse(
                {
                    "note": [
                        _("At most %(limit)s characters; this has %(length)s.") % {"limit": 2000, "length": len(note)}
                    ]
                }
            )

    def apply(locked, transition):
        locked.status_changed_at = timezone.now()

    return run_transition(
        lead,
        LEAD_WORKFLOW,
        action,
        actor=actor,
        expected_version=expected_version,
        note=note,
        validate=validate,
        apply=apply,
        message=lambda locked, t: f"{t.label}: {note}".strip(": ")[:500],
        change_fields=("status",),
        update_fields=("status_changed_at",),
        queryset=Lead.objects.filter(lead_scope_q(actor)) if role_of(actor) is not None else Lead.objects.none(),
        out_of_scope=_("This inquiry is not yours to handle."),
    )
