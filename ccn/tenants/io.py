"""Import and export columns of clusters and tenant projects, and the importers that write each row through the
registry's and the tenants' services. The export of a list uses the import columns, so an exported file can be
edited and imported back."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ccn.clusters.addresses import FORMER_KEYS, has_former, resolve_former_address
from ccn.clusters.choices import ClusterStatus, DocumentKind
from ccn.clusters.models import CLUSTER_DATA_FIELDS, Cluster, LegalDocument
from ccn.clusters.selectors import cluster_scope_q
from ccn.clusters.services import cluster_create, cluster_update
from ccn.core.errors import PermissionDeniedError, field_error
from ccn.core.history import record_change
from ccn.core.importing import Column, Importer, ImportResult, show_number, template_workbook
from ccn.core.models import ChangeAction
from ccn.core.text import fold
from ccn.geo.models import Commune, Province

from . import services
from .bulk import TenantBulk
from .choices import PROJECT_STATUS_WORDS, Currency, ImportKind, ProjectStatus
from .columns import CLUSTER_COLUMNS, CLUSTER_KIND_WORDS, CLUSTER_STATUS_WORDS, FUNDING_WORDS, TENANT_COLUMNS
from .models import PROJECT_DATA_FIELDS, ImportRun, TenantProject


def _pad(code, width: int) -> str:
    """Spreadsheets turn codes into numbers and drop their leading zeros; put them back."""
    text = str(code or "").strip()
    return text.zfill(width) if text.isdigit() else text


def _province(value) -> Province:
    text = str(value or "").strip()
    province = Province.objects.filter(code=_pad(text, 2)).first()
    if province is None:
        key = fold(text)
        province = Province.objects.filter(search_key=key).first() or next(
            (p for p in Province.objects.all() if key in (fold(p.name), fold(p.short_name))), None
        )
    if province is None:
        msg = _("Unknown province %(value)s.") % {"value": text}
        raise field_error("province", msg)
    return province


CLUSTER_DATA_KEYS = (*CLUSTER_DATA_FIELDS, "funding_source", "is_published")


def _establishment(values: dict, province: Province) -> dict | None:
    """A new cluster's establishment decision (number and date together): recorded as its document, and its area
    held to the limits in force on the decision's date (Decree 32/2024, Art. 35(1))."""
    number = (values.get("decision_number") or "").strip()
    day = values.get("decision_on")
    if not number and not day:
        return None
    if not number or not day:
        key = "decision_on" if number else "decision_number"
        msg = _("Give both the number and the date of the establishment decision.")
        raise field_error(key, msg)
    return {
        "number": number,
        "issued_on": day,
        "issuer": _("People's Committee of %(province)s") % {"province": province.name},
    }


def cluster_importer(*, actor, filename: str) -> Importer:
    message = _("Imported from %(file)s") % {"file": filename}

    def apply(values: dict, *, row: int) -> str:
        code = (values.get("code") or "").strip().upper()
        province = _province(values.get("province"))
        data = {k: values[k] for k in CLUSTER_DATA_KEYS if values.get(k) is not None}
        for key in ("lat", "lon"):
            if values.get(key) is not None:
                data[key] = float(values[key])
        if values.get("investor_tax_code"):
            data["investor"] = services.enterprise_for(
                actor=actor, tax_code=_pad(values["investor_tax_code"], 10), name=values.get("investor_name") or ""
            )
        communes = [_pad(c, 5) for c in values.get("communes") or []] or None
        former = {k: values.get(f"former_{k}") for k in FORMER_KEYS}
        if has_former(former):
            communes, former_fields, _resolution = resolve_former_address(
                province=province, former=former, communes=communes
            )
            data.update(former_fields)
        establishment = _establishment(values, province)
        existing = Cluster.objects.filter(code=code).first()
        if existing is None:
            for key in ("name",):
                if not data.get(key):
                    msg = _("Required for a new cluster.")
                    raise field_error(key, msg)
            if not communes:
                msg = _("Give the commune codes of a new cluster.")
                raise field_error("communes", msg)
            cluster_create(
                actor=actor,
                province=province,
                communes=communes,
                data={"code": code, **data},
                initial_status=values.get("status") or ClusterStatus.PLANNED,
                status_since=values.get("status_since"),
                message=message,
                establishment=establishment,
            )
            return "created"
        if not Cluster.objects.filter(cluster_scope_q(actor), pk=existing.pk).exists():
            raise PermissionDeniedError(_("You may not edit the cluster %(code)s.") % {"code": code})
        if existing.province_id != province.pk:
            msg = _("The cluster %(code)s is in %(province)s; its province cannot change.") % {
                "code": code,
                "province": existing.province.name,
            }
            raise field_error("province", msg)
        if values.get("status") and values["status"] != existing.status:
            msg = _("The state of an existing cluster changes only through its lifecycle actions.")
            raise field_error("status", msg)
        changed = {k: v for k, v in data.items() if _differs(getattr(existing, k), v)}
        current_communes = sorted(existing.communes.values_list("code", flat=True))
        if communes is not None and sorted(communes) == current_communes:
            communes = None
        if not changed and communes is None:
            return "unchanged"
        cluster_update(actor=actor, cluster=existing, data=changed, communes=communes, message=message)
        return "updated"

    return Importer(
        columns=CLUSTER_COLUMNS,
        apply=apply,
        review=cluster_review,
        label=str(ImportKind.CLUSTERS.label),
        others={str(ImportKind.TENANTS.label): TENANT_COLUMNS},
        key=lambda v: ((v.get("code") or "").strip().upper(),),
        finish=_finisher(actor, ImportKind.CLUSTERS, filename),
    )


def cluster_review(values: dict) -> list[tuple[str, str]]:
    """Plausibility warnings of a cluster row: land figures that look like square metres, areas out of order."""
    warnings = []
    for key in ("area_planned_ha", "area_established_ha", "industrial_land_ha", "ready_land_ha"):
        value = values.get(key)
        if value is not None and value > 500:
            warnings.append(
                (
                    key,
                    _("%(value)s ha is very large for a cluster: is it in m² rather than ha?")
                    % {"value": show_number(value)},
                )
            )
    capital = values.get("infra_capital_approved_bn")
    if capital is not None and capital > 10_000:
        warnings.append(
            (
                "infra_capital_approved_bn",
                _("%(value)s billion đồng is very large: the column is in billions, not in đồng.")
                % {"value": show_number(capital)},
            )
        )
    return warnings


def _differs(current, new) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(str(current)) != Decimal(str(new))
    if isinstance(current, float) and new is not None:
        return abs(current - float(new)) > 1e-9
    return current != new


# The name finds the project and is set apart (bulk.TenantBulk); the rest is the project's data.
PROJECT_DATA_KEYS = tuple(key for key in PROJECT_DATA_FIELDS if key != "name")


def tenant_importer(*, actor, filename: str) -> Importer:
    """Tenant rows go through the bulk path (`bulk.TenantBulk`): same checks and messages, a few statements."""
    message = _("Imported from %(file)s") % {"file": filename}
    run = TenantBulk(actor=actor, message=message, data_keys=PROJECT_DATA_KEYS)
    return Importer(
        columns=TENANT_COLUMNS,
        apply_all=run.apply_all,
        after=run.after,
        review=tenant_review,
        label=str(ImportKind.TENANTS.label),
        others={str(ImportKind.CLUSTERS.label): CLUSTER_COLUMNS},
        key=lambda v: (
            (v.get("cluster_code") or "").strip().upper(),
            _pad(v.get("tax_code"), 10),
            fold(v.get("name") or ""),
        ),
        finish=_finisher(actor, ImportKind.TENANTS, filename),
    )


USD_RATE = (Decimal("10000"), Decimal("40000"))


def tenant_review(values: dict) -> list[tuple[str, str]]:
    """Plausibility warnings of a tenant row: amounts that look like thousands or millions, an implausible
    exchange rate, an operating project with no workers, a lease larger than any cluster."""
    warnings = []
    capital, currency = values.get("capital"), values.get("currency") or Currency.VND
    if capital is not None and capital > 0:
        if currency == Currency.USD and capital < 10_000:
            warnings.append(
                (
                    "capital",
                    _("A capital of %(value)s USD looks too small: write the full amount, not thousands or millions.")
                    % {"value": show_number(capital)},
                )
            )
        if currency == Currency.VND and capital < 10_000_000:
            warnings.append(
                (
                    "capital",
                    _("A capital of %(value)s VND looks too small: write the full amount in đồng, not in millions.")
                    % {"value": show_number(capital)},
                )
            )
    rate = values.get("exchange_rate")
    if currency == Currency.USD and rate is not None and not (USD_RATE[0] <= rate <= USD_RATE[1]):
        warnings.append(
            (
                "exchange_rate",
                _("An exchange rate of %(value)s VND per USD is unusual (it has been between 15.000 and 27.000).")
                % {"value": show_number(rate)},
            )
        )
    if values.get("workers") == 0 and values.get("status") == ProjectStatus.OPERATING:
        warnings.append(("workers", _("An operating project with 0 workers: check the number.")))
    leased = values.get("land_leased_ha")
    if leased is not None and leased > 75:
        warnings.append(
            (
                "land_leased_ha",
                _("%(value)s ha for one project is more than a whole cluster usually has (75 ha).")
                % {"value": show_number(leased)},
            )
        )
    return warnings


def _current(project: TenantProject, key: str):
    if key == "sector":
        return project.sector_code
    return getattr(project, key)


def _finisher(actor, kind: str, filename: str):
    def finish(result: ImportResult) -> None:
        run = ImportRun.objects.create(
            kind=kind,
            filename=filename[:255],
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            rows=result.total,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            request_id=result.request_id,
        )
        record_change(
            actor=actor,
            obj=run,
            action=ChangeAction.IMPORT,
            after={"rows": result.total, "created": result.created, "updated": result.updated},
            message=_("%(kind)s imported from %(file)s") % {"kind": ImportKind(kind).label, "file": filename},
        )

    return finish


def importer_for(kind: str, *, actor, filename: str) -> Importer:
    if kind == ImportKind.CLUSTERS:
        return cluster_importer(actor=actor, filename=filename)
    if kind == ImportKind.TENANTS:
        return tenant_importer(actor=actor, filename=filename)
    raise field_error("kind", _("Unknown import kind."))


EXAMPLES = {
    ImportKind.CLUSTERS: {
        "code": "KHA-VIDU",
        "name": "Cụm công nghiệp Ví Dụ",
        "kind": "Cụm công nghiệp",
        "province": "56",
        "status": "Đã thành lập",
        "status_since": "15/03/2019",
        "area_planned_ha": "50",
        "area_established_ha": "48,5",
        "industrial_land_ha": "35",
        "funding_source": "Doanh nghiệp",
        "is_published": "có",
    },
    ImportKind.TENANTS: {
        "tax_code": "0100109106",
        "enterprise_name": "Công ty TNHH Ví Dụ",
        "country": "VN",
        "name": "Nhà máy may Ví Dụ",
        "sector": "14",
        "capital": "25.400.000.000",
        "currency": "VND",
        "land_leased_ha": "1,5",
        "status": "Đang hoạt động",
        "workers": "120",
    },
}


def template_for(kind: str, *, user, title: str) -> bytes:
    """The template of a kind: one example row, drop-downs for choices, and the cluster codes and communes of the
    user's province (all clusters the user sees when the user has no province) as reference sheets whose codes
    feed the drop-downs of the code columns."""
    clusters = Cluster.objects.filter(cluster_scope_q(user)).order_by("code")
    communes = Commune.objects.order_by("code")
    if getattr(user, "province_id", None):
        clusters = clusters.filter(province_id=user.province_id)
        communes = communes.filter(province_id=user.province_id)
    else:
        communes = communes.none()
    cluster_rows = list(clusters.values_list("code", "name")[:5000])
    commune_rows = list(communes.values_list("code", "name")[:5000])
    example = dict(EXAMPLES[kind])
    if kind == ImportKind.TENANTS and cluster_rows:
        example["cluster_code"] = cluster_rows[0][0]
    if kind == ImportKind.CLUSTERS and commune_rows:
        example["communes"] = commune_rows[0][0]
        example["province"] = user.province.code
    references = [
        (_("cluster codes"), [_("Cluster code"), _("Cluster name")], cluster_rows),
        (_("communes"), [_("Commune code"), _("Commune name")], commune_rows),
    ]
    lists = {"cluster_code": (0, 0)} if kind == ImportKind.TENANTS else {}
    return template_workbook(columns_for(kind), title=title, example=example, references=references, lists=lists)


def columns_for(kind: str) -> list[Column]:
    return CLUSTER_COLUMNS if kind == ImportKind.CLUSTERS else TENANT_COLUMNS


# -------------------------------------------------------------------------------------------------- export


def _word(words: dict, value) -> str:
    if not value:
        return ""
    pair = words.get(value)
    if not pair:
        return str(value)
    return pair[0] if (get_language() or "vi").startswith("vi") else pair[-1]


def tenant_export(qs):
    """The rows of a tenant list in the import columns' order, then the derived columns (never imported)."""
    for p in qs.iterator(chunk_size=500):
        yield [
            p.cluster.code,
            p.enterprise.tax_code,
            p.enterprise.name,
            p.enterprise.country,
            p.name,
            p.sector_code or "",
            p.capital,
            p.currency,
            p.exchange_rate,
            p.capital_date,
            p.land_leased_ha,
            p.plots,
            p.lease_start,
            p.lease_end,
            _word(PROJECT_STATUS_WORDS, p.status),
            p.workers,
            p.operation_started_on,
            p.wastewater_m3_day,
            _("yes") if p.foreign_invested else _("no"),
            p.capital_vnd_value,
        ]


def tenant_export_headers() -> list[str]:
    return [c.header() for c in TENANT_COLUMNS] + [_("Foreign-invested"), _("Capital (VND)")]


def cluster_export_headers() -> list[str]:
    return [c.header() for c in CLUSTER_COLUMNS] + [_("Land leased (ha)"), _("Occupancy (%)"), _("Vacant land (ha)")]


def cluster_export(qs):
    decision = LegalDocument.objects.filter(cluster_id=OuterRef("pk"), kind=DocumentKind.ESTABLISHED).order_by(
        "issued_on", "pk"
    )
    qs = qs.annotate(
        decision_number=Subquery(decision.values("number")[:1]), decision_on=Subquery(decision.values("issued_on")[:1])
    )
    for c in qs.iterator(chunk_size=500):
        yield [
            c.code,
            c.name,
            c.name_en,
            _word(CLUSTER_KIND_WORDS, c.kind),
            c.province.code,
            "; ".join(sorted(x.code for x in c.communes.all())),
            _("yes") if c.mountainous_area else _("no"),
            _word(CLUSTER_STATUS_WORDS, c.status),
            c.status_since,
            c.area_planned_ha,
            c.area_established_ha,
            c.industrial_land_ha,
            c.ready_land_ha,
            c.land_confirmed_on,
            c.infra_capital_approved_bn,
            c.infra_capital_disbursed_bn,
            c.investor.tax_code if c.investor_id else "",
            c.investor.name if c.investor_id else "",
            _word(FUNDING_WORDS, c.funding_source),
            c.lat,
            c.lon,
            _("yes") if c.is_published else _("no"),
            c.decision_number or "",
            c.decision_on,
            c.leased_land_ha,
            None if c.occupancy_pct is None else round(c.occupancy_pct, 1),
            c.vacant_land_ha,
        ]
