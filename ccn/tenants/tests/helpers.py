"""Helpers of the tenants tests: valid tax codes and spreadsheet builders."""

import csv
import io

from openpyxl import Workbook

from ccn.clusters.validators import TAX_WEIGHTS


def tax_code(seed: int) -> str:
    """A valid tax code (check digit right) derived from `seed`."""
    n = seed
    while True:
        digits = [int(c) for c in f"{n:09d}"[-9:]]
        check = 10 - sum(w * d for w, d in zip(TAX_WEIGHTS, digits, strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)
        n += 1


def xlsx_bytes(rows, *, sheet="du-lieu", before=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for line in before:
        ws.append(line)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, *, delimiter=",") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
