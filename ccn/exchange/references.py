"""What a received batch refers to, read once up front (docs/exchange.md, "Receiving"): the links of the batch's
own records and of the records they name (a project's cluster and enterprise, a cluster's investor and the
organisations of its figures), the local rows those links became, the clusters' communes and the projects' sector
codes in both VSIC editions, in a few queries for the whole batch rather than a few for each record. A record's
links and rows join what is known only when its savepoint is released, so a refused record leaves nothing behind
here either."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from ccn.clusters.vsic import CODE_RE, clean_code, pick_edition
from ccn.clusters.vsic import MODELS as VSIC
from ccn.core.errors import DomainError, field_error
from ccn.geo.models import Commune

from .models import ExchangeLink, RecordKind

CHUNK = 500  # keys per query: within SQLite's limit on the parameters of one statement


def referred_keys(record: dict) -> set[tuple[str, str]]:
    """(kind, key) of each record this record names."""
    data = record["data"]
    if record["kind"] == RecordKind.TENANT_PROJECT:
        return {(RecordKind.CLUSTER, data["cluster"]), (RecordKind.ORGANISATION, data["enterprise"])}
    if record["kind"] == RecordKind.CLUSTER:
        keys = [data.get("investor"), *(f.get("organisation") for f in data.get("figures") or [])]
        return {(RecordKind.ORGANISATION, key) for key in keys if key}
    return set()


class References:
    """The links and linked rows of one batch. `links[(kind, key)]` is the link or None when there is none; a key
    not read up front (a held record applied again by a person) is not in it and is looked up on its own."""

    def __init__(self, models: dict):
        self.models = models
        self.links: dict[tuple[str, str], ExchangeLink | None] = {}
        self.rows: dict[tuple[str, int], object] = {}
        self.pending: list[tuple[ExchangeLink, object]] = []
        self.communes: dict[str, Commune] | None = None
        self.sectors: dict[int, dict] | None = None

    def load(self, records: list[dict], province) -> None:
        own = {(r["kind"], r["key"]) for r in records}
        referred = set().union(*(referred_keys(r) for r in records)) if records else set()
        wanted = sorted(own | referred)
        self.links.update(dict.fromkeys(wanted))
        for chunk in _chunks(wanted):
            match = Q()
            for kind in {k for k, _key in chunk}:
                match |= Q(kind=kind, key__in=[key for k, key in chunk if k == kind])
            for link in ExchangeLink.objects.filter(match):
                self.links[(link.kind, link.key)] = link
        for kind in {k for k, _key in referred}:
            ids = {self.links[(k, key)].object_id for k, key in referred if k == kind and self.links[(k, key)]}
            for pk, row in self.models[kind].objects.in_bulk(ids).items():
                self.rows[(kind, pk)] = row
        codes = {c for r in records if r["kind"] == RecordKind.CLUSTER for c in r["data"].get("communes") or []}
        self.communes = {}
        for chunk in _chunks(sorted(codes)):
            self.communes.update((c.code, c) for c in Commune.objects.filter(code__in=chunk, province=province))
        sectors = {clean_code(r["data"].get("sector")) for r in records if r["kind"] == RecordKind.TENANT_PROJECT}
        sectors = sorted(c for c in sectors if CODE_RE.match(c))
        self.sectors = {edition: {} for edition in VSIC}
        for edition, model in VSIC.items():
            for chunk in _chunks(sectors):
                self.sectors[edition].update((s.code, s) for s in model.objects.filter(code__in=chunk))

    def communes_of(self, codes: list[str], province) -> list[Commune]:
        """The province's communes among `codes`, in code order (those of another province or unknown left out)."""
        if self.communes is None:
            return list(Commune.objects.filter(code__in=codes, province=province))
        return sorted({self.communes[c] for c in codes if c in self.communes}, key=lambda c: c.code)

    def sector(self, raw, *, on: datetime.date | None, edition: str | None = None):
        """The project's sector: in the `edition` the record names ("2018", "2025"), else in the one
        `pick_edition` chooses, from the codes read up front; the code itself when the tenant service is to read
        it (and refuse it with its own message). A code missing from the edition the record names is refused."""
        code = clean_code(raw)
        if not code or (edition is None and self.sectors is None):
            return raw
        if edition is None:
            editions = {e for e, known in self.sectors.items() if code in known}
            try:
                return self.sectors[pick_edition(code, editions, on=on)][code]
            except DomainError:
                return raw
        if self.sectors is None:
            found = VSIC[int(edition)].objects.filter(code=code).first()
        else:
            found = self.sectors[int(edition)].get(code)
        if found is None:
            raise field_error(
                "sector",
                _("Sector code %(code)s is not in VSIC %(edition)s.") % {"code": code[:20], "edition": edition},
            )
        return found

    def link(self, kind: str, key: str) -> ExchangeLink | None:
        if (kind, key) in self.links:
            return self.links[(kind, key)]
        return ExchangeLink.objects.filter(kind=kind, key=key).first()

    def row(self, kind: str, pk: int):
        row = self.rows.get((kind, pk))
        return row if row is not None else self.models[kind].objects.get(pk=pk)

    def save_link(self, kind: str, key: str, values: dict, obj) -> None:
        """Write the record's link (an update of the one read up front, or a new one), known once the record's
        savepoint is released (`commit`)."""
        if (kind, key) not in self.links:
            link, _created = ExchangeLink.objects.update_or_create(kind=kind, key=key, defaults=values)
        elif self.links[(kind, key)] is None:
            link = ExchangeLink.objects.create(kind=kind, key=key, **values)
        else:
            link = ExchangeLink(pk=self.links[(kind, key)].pk, kind=kind, key=key, **values)
            link.save()
        self.pending.append((link, obj))

    def commit(self) -> None:
        for link, obj in self.pending:
            self.links[(link.kind, link.key)] = link
            self.rows[(link.kind, obj.pk)] = obj
        self.pending.clear()

    def discard(self) -> None:
        self.pending.clear()

    def unapplied(self, kind: str, key: str) -> None:
        """The link's hash was emptied (its acts were refused): the next exchange applies the record again."""
        ExchangeLink.objects.filter(kind=kind, key=key).update(applied_hash="")
        if self.links.get((kind, key)) is not None:
            self.links[(kind, key)].applied_hash = ""


def _chunks(items: list) -> list[list]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]
