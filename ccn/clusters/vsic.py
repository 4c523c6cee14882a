"""The two editions of the Vietnam Standard Industrial Classification (Hệ thống ngành kinh tế Việt Nam): VSIC 2018
(Decision 27/2018/QĐ-TTg, `Sector`) and VSIC 2025 (Decision 36/2025/QĐ-TTg, in force from 15/11/2025,
`Sector2025`). Which edition a code is read in (docs/decisions/0010-vsic-editions.md): the one in force on the
record's date when the date is known, otherwise either, VSIC 2018 first (the edition of every code stored
before VSIC 2025 entered). The VSIC 2025 file's conversion from
its published listing and its checked loading live here too (docs/import.md, "Sectors")."""

import csv
import datetime
import re
from collections import Counter
from pathlib import Path

from django.utils.translation import gettext as _

from ccn.core.errors import field_error

from .models import Sector, Sector2025

VSIC_2025_FROM = datetime.date(2025, 11, 15)  # Decision 36/2025/QĐ-TTg of 29/9/2025 is in force from 15/11/2025
MODELS = {2018: Sector, 2025: Sector2025}
CODE_RE = re.compile(r"^([A-Z]|\d{2,5})$")
DATA = Path(__file__).resolve().parent / "data" / "vsic2025.csv"
# The counts of Decision 36/2025/QĐ-TTg's system: 22 sections, 87 divisions, 259 groups, 495 classes, 743 subclasses.
COUNTS_2025 = {1: 22, 2: 87, 3: 259, 4: 495, 5: 743}
HEADER = ["code", "level", "parent", "name", "name_en"]


def edition_on(day: datetime.date | None) -> int | None:
    """The edition in force on `day` (None when the day is not known)."""
    if day is None:
        return None
    return 2025 if day >= VSIC_2025_FROM else 2018


def clean_code(raw) -> str:
    return str(raw if raw is not None else "").strip().upper()


def pick_edition(
    code: str, editions, *, on: datetime.date | None = None, field: str = "sector", keep: int | None = None
) -> int:
    """The edition a code is read in, among the `editions` that hold it: the one in force on `on` when it is
    given, else `keep` (the edition the record already holds this code in, so that saving it again without a
    date does not move it) when it holds the code, else VSIC 2018 before VSIC 2025 (every code stored before is
    VSIC 2018). A code in neither, or only in the edition not in force on the record's date, is refused in the
    user's language, naming the editions."""
    editions = set(editions)
    wanted = edition_on(on)
    if wanted is None and keep in editions:
        return keep
    if wanted is None and editions:
        return 2018 if 2018 in editions else 2025
    if wanted in editions:
        return wanted
    if editions:
        raise field_error(
            field,
            _(
                "Sector code %(code)s is not in VSIC %(edition)s, the classification in force on %(day)s; it is a "
                "VSIC %(other)s code."
            )
            % {"code": code, "edition": wanted, "day": on.strftime("%d/%m/%Y"), "other": min(editions)},
        )
    raise field_error(field, unknown_message(code))


def find_sector(
    raw, *, on: datetime.date | None = None, field: str = "sector", keep: int | None = None
) -> Sector | Sector2025:
    """The sector a code names, in the edition `pick_edition` chooses (refused in Vietnamese when none)."""
    code = clean_code(raw.code if isinstance(raw, Sector | Sector2025) else raw)
    found = {}
    if CODE_RE.match(code):
        found = {e: s for e, model in MODELS.items() if (s := model.objects.filter(code=code).first()) is not None}
    return found[pick_edition(code, found, on=on, field=field, keep=keep)]


def sector_label(code: str, *, on: datetime.date | None = None) -> str:
    """The code with its name and edition ("1079 – Sản xuất thực phẩm khác… (VSIC 2025)") for a code stored
    earlier: the edition in force on `on` first, the other next, the bare code when neither holds it."""
    editions = [2025, 2018] if edition_on(on) == 2025 else [2018, 2025]
    for edition in editions:
        sector = MODELS[edition].objects.filter(code=clean_code(code)).first()
        if sector is not None:
            return sector.label
    return code


def unknown_message(code: str) -> str:
    return _(
        "Sector code %(code)s is not in the Vietnam Standard Industrial Classification (VSIC 2018 or VSIC 2025)."
    ) % {"code": code[:20]}


# --- the VSIC 2025 file ---------------------------------------------------------------------------------------


def rows_from_listing(items: list[dict]) -> list[dict]:
    """The CSV rows of the published VSIC 2025 listing (a JSON list of {code, level, name}, in the order of the
    Decision's Appendix I): each code's parent is its code less one digit, a division's the section before it."""
    rows, section = [], ""
    for item in items:
        code, level = str(item["code"]).strip(), int(item["level"])
        if level == 1:
            section, parent = code, ""
        elif level == 2:
            parent = section
        else:
            parent = code[:-1]
        rows.append(
            {"code": code, "level": level, "parent": parent, "name": " ".join(item["name"].split()), "name_en": ""}
        )
    return rows


def read_rows(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def check_rows(rows: list[dict]) -> None:
    """Refuses a file whose counts per level are not those of the Decision or whose codes name a missing parent,
    saying exactly what differs."""
    problems = []
    counts = Counter(int(r["level"]) for r in rows)
    for level, expected in COUNTS_2025.items():
        if counts.get(level, 0) != expected:
            problems.append(f"level {level}: {counts.get(level, 0)} codes, the Decision counts {expected}")
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes):
        problems.append("codes repeated: " + ", ".join(sorted(c for c, n in Counter(codes).items() if n > 1)))
    known = set(codes)
    orphans = [r["code"] for r in rows if r["parent"] and r["parent"] not in known]
    orphans += [r["code"] for r in rows if not r["parent"] and int(r["level"]) != 1]
    if orphans:
        problems.append("codes without their parent: " + ", ".join(orphans))
    if problems:
        raise ValueError("VSIC 2025 file refused: " + "; ".join(problems))


def load_2025(model, path: Path = DATA) -> int:
    """Loads the checked file into `model` (Sector2025, or the migration's historical model): creates what is
    missing, corrects what differs, touches nothing else; loading again changes nothing. Returns rows written."""
    rows = read_rows(path)
    check_rows(rows)
    have = {s.code: s for s in model.objects.all()}
    new = [model(code=r["code"], name=r["name"], name_en=r["name_en"]) for r in rows if r["code"] not in have]
    model.objects.bulk_create(new)
    have.update({s.code: s for s in new})
    changed = []
    for r in rows:
        sector = have[r["code"]]
        wanted = (r["name"], r["name_en"], r["parent"] or None)
        if (sector.name, sector.name_en, sector.parent_id) != wanted:
            sector.name, sector.name_en, sector.parent_id = wanted
            changed.append(sector)
    model.objects.bulk_update(changed, ["name", "name_en", "parent"])
    return len({s.code for s in new} | {s.code for s in changed})
