"""VSIC 2018 codes as a visitor types them: a section letter (C), a division (10) or a longer code (1079), resolved
against the registry's sectors, and the permitted codes that would admit one (the portal's search and sector check,
the inquiry form)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from ccn.clusters.models import Sector, Sector2025
from ccn.clusters.vsic import find_sector, unknown_message
from ccn.core.errors import field_error

VSIC_CODE = re.compile(r"^(?:[A-Za-z]|\d{2,5})$")


@dataclass
class SectorCode:
    """A VSIC code a visitor typed, of any level, found in VSIC 2018 or VSIC 2025 (`sector`, shown with its
    edition), with the VSIC 2018 division and section it falls under: clusters' permitted sectors are VSIC 2018
    sections and divisions."""

    code: str
    sector: Sector | Sector2025
    division: Sector | None
    section: Sector | None

    @property
    def ancestors(self) -> list[str]:
        """The permitted codes that would admit this code: itself, its division and its section."""
        codes = [s.code for s in (self.section, self.division) if s is not None]
        if self.code not in codes:
            codes.append(self.code)
        return codes


def parse_sector(raw: str, *, on=None) -> SectorCode:
    """Resolve a section letter or a 2–5 digit code of VSIC 2018 or VSIC 2025 (the edition in force on `on` when a
    record's date is given); refuse anything else with a clear message."""
    code = (raw or "").strip().upper()
    if not VSIC_CODE.match(code):
        raise field_error("sector", unknown_message(code))
    sector = find_sector(code, on=on)
    if code.isalpha():
        section = Sector.objects.filter(code=code).first()
        return SectorCode(code=code, sector=sector, division=None, section=section)
    division = Sector.objects.select_related("parent").filter(code=code[:2]).first()
    return SectorCode(code=code, sector=sector, division=division, section=division.parent if division else None)


def admits(wanted: SectorCode) -> Q:
    """The permitted sectors under which a cluster admits `wanted` (a filter on the clusters' sector links): a
    section admits the clusters permitting it or any of its divisions; a code those permitting it, its division or
    section, or a longer code under it."""
    codes = set(wanted.ancestors)
    if wanted.code.isalpha():
        codes |= set(Sector.objects.filter(parent__code=wanted.code).values_list("code", flat=True))
        return Q(sector_id__in=codes)
    return Q(sector_id__in=codes) | Q(sector__code__startswith=wanted.code)
