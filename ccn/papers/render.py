"""Filling a paper template with a record's data, and turning the result into PDF.

Templates are looked up first in the administrator's folder (`CCN_PAPERS_DIR`, by default `var/papers/`), then
among the defaults shipped in `ccn/papers/docx/`, so an adjusted copy with the same name replaces the default
without touching the code. A placeholder the data does not fill is an error that names it: a paper is never
issued with a hole in it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import jinja2
from django.conf import settings
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from ccn.core.errors import DomainError, ValidationFailed

DEFAULTS = Path(__file__).resolve().parent / "docx"
PDF_TIMEOUT_S = 90


class PaperError(DomainError):
    """The paper cannot be produced (no office suite to convert it, or it took too long)."""

    http_status = 503
    code = "paper_unavailable"


def template_dirs() -> list[Path]:
    custom = getattr(settings, "CCN_PAPERS_DIR", None) or Path(settings.VAR_DIR) / "papers"
    return [Path(custom), DEFAULTS]


def template_path(name: str) -> Path:
    for directory in template_dirs():
        path = directory / name
        if path.is_file():
            return path
    raise ValidationFailed(_("The paper template “%(name)s” is missing.") % {"name": name}, code="template_missing")


def render_docx(name: str, context: dict) -> bytes:
    """The filled .docx as bytes. Text from the records is escaped, so a name with “&” or “<” stays text."""
    template = DocxTemplate(template_path(name))
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)  # noqa: S701 - XML escaping
    try:
        template.render(context, jinja_env=environment, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise ValidationFailed(
            _("The paper template “%(name)s” asks for a field the record does not give: %(detail)s.")
            % {"name": name, "detail": exc.message},
            code="template_field_missing",
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationFailed(
            _("The paper template “%(name)s” has an error on line %(line)s: %(detail)s.")
            % {"name": name, "line": exc.lineno, "detail": exc.message},
            code="template_syntax",
        ) from exc
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes) -> bytes:
    """Convert with LibreOffice in its own throw-away profile (two conversions at once must not share one)."""
    binary = office_binary()
    if binary is None:
        raise PaperError(_("PDF conversion is not available on this server; download the DOCX instead."))
    with tempfile.TemporaryDirectory(prefix="ccn-paper-") as tmp:
        source = Path(tmp) / "paper.docx"
        source.write_bytes(content)
        profile = Path(tmp) / "profile"
        command = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(
                command, check=True, capture_output=True, timeout=PDF_TIMEOUT_S, env={**os.environ, "HOME": tmp}
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PaperError(_("The PDF could not be produced; download the DOCX instead.")) from exc
        result = Path(tmp) / "paper.pdf"
        if not result.is_file():
            raise PaperError(_("The PDF could not be produced; download the DOCX instead."))
        return result.read_bytes()
