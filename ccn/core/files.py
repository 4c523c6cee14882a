"""Uploaded files are data, never active content (docs/security.md).

Every app accepts files through `check_upload` (type sniffed from the content against an allow-list, size
bounded; the name the user gave is only kept for display) and stores them under a generated name; every download
goes through `attachment_response`: always an attachment, its type re-read from the stored bytes (anything not
on the allow-list is `application/octet-stream`), with `X-Content-Type-Options: nosniff` and a sandboxing
Content-Security-Policy, so a file can never run as a script or a page of our origin.
"""

from __future__ import annotations

import os
import uuid

import filetype
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import ValidationFailed

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 / Excel 97–2003
# Sniffed MIME type → the extension stored files get. Scripts, HTML and SVG are not here: they can run.
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/tiff": ".tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/zip": ".zip",
}
DOWNLOAD_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
HEAD_BYTES = 8192


def sniff(head: bytes, *, name: str = "") -> str | None:
    """The MIME type the content shows (None for anything not recognised)."""
    if head.startswith(OLE_MAGIC):
        ext = os.path.splitext(name)[1].lower()
        return "application/vnd.ms-excel" if ext == ".xls" else "application/msword"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _head(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(HEAD_BYTES)
    if hasattr(file, "seek"):
        file.seek(0)
    return head or b""


def check_upload(file, *, field: str = "file", allowed: dict[str, str] | None = None, max_bytes: int | None = None):
    """The sniffed MIME type of an upload on the allow-list, else a 422 naming what is accepted."""
    allowed = allowed if allowed is not None else DOCUMENT_TYPES
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    size = getattr(file, "size", None) or 0
    if size > limit:
        message = _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(size / 1048576, 1),
            "limit": round(limit / 1048576, 1),
        }
        raise ValidationFailed(message, field_errors={field: [message]})
    if size == 0:
        raise ValidationFailed(_("The file is empty."), field_errors={field: [_("The file is empty.")]})
    mime = sniff(_head(file), name=getattr(file, "name", "") or "")
    if mime not in allowed:
        message = _("This kind of file is not accepted; send a PDF, an image (PNG, JPEG) or an office document.")
        raise ValidationFailed(message, field_errors={field: [message]})
    return mime


def stored_name(prefix: str, mime: str, allowed: dict[str, str] | None = None) -> str:
    """A generated storage name: never the user's, so no path, extension or type of theirs reaches storage."""
    ext = (allowed if allowed is not None else DOCUMENT_TYPES).get(mime, ".bin")
    return f"{prefix.strip('/')}/{uuid.uuid4().hex}{ext}"


def display_name(name: str, mime: str | None = None) -> str:
    """The file name offered on download: the user's base name, with the extension of what the content is."""
    base = os.path.basename(name or "").strip() or "file"
    stem = os.path.splitext(base)[0][:150] or "file"
    ext = DOCUMENT_TYPES.get(mime or "", ".bin")
    return stem + ext


def attachment_response(fieldfile, *, filename: str = "") -> FileResponse:
    handle = fieldfile.open("rb")
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    mime = sniff(head, name=fieldfile.name)
    safe = mime if mime in DOCUMENT_TYPES else None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=display_name(filename or fieldfile.name, safe),
        content_type=safe or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
