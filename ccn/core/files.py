"""Files that users upload (legal documents' scans, attachments): accepted by what they are, never by their name,
and served so that a browser never runs them.

An upload's type is sniffed from its first bytes (the `filetype` package) and must be on the allow-list; an office
document must also look like one inside (an OOXML/ODF archive, or an OLE compound file for the old formats). The
stored name is generated: the user's file name is kept only as the download name. A download is always an
attachment with the sniffed type, `X-Content-Type-Options: nosniff` (so a `<script src>` pointing at it is refused
by the browser) and a sandboxing Content-Security-Policy (so opened on its own it can run nothing).
"""

from __future__ import annotations

import os
import uuid
import zipfile

import filetype
from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import field_error

OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: sniffed type → stored extension, for scans and attachments
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    **{mime: ext for mime, ext in OOXML.values()},
    **ODF,
    "application/x-ole-storage": ".doc",  # Word 97–2003 / Excel 97–2003 compound file
    "application/zip": ".zip",
}
ALLOWED_NAMES = "PDF, PNG, JPEG, TIFF, DOCX, XLSX, PPTX, ODT, ODS, DOC/XLS, ZIP"


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def _head(upload, size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _office_type(upload) -> tuple[str, str] | None:
    """The OOXML or ODF type of a zip archive, read from its member names (no member is extracted)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in ODF:
                    return declared, ODF[declared]
            if "[Content_Types].xml" in names:
                for prefix, found in OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        return found
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    return None


def sniff(upload) -> tuple[str, str] | None:
    """(content type, extension) of an upload from its bytes, or None when it is not on the allow-list."""
    head = _head(upload)
    if head.startswith(OLE_MAGIC):
        return "application/x-ole-storage", ".doc"
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime == "application/zip" or kind.extension in ("docx", "xlsx", "pptx", "odt", "ods"):
        office = _office_type(upload)
        if office:
            return office
        return ("application/zip", ".zip") if kind.mime == "application/zip" else None
    mime = "image/jpeg" if kind.mime == "image/jpg" else kind.mime
    ext = DOCUMENT_TYPES.get(mime)
    return (mime, ext) if ext else None


def check_upload(upload, *, field: str = "file") -> tuple[str, str]:
    """Refuse an empty, too large or not allowed file with a message that says what is accepted; return its
    sniffed (content type, extension)."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise field_error(field, _("The file is empty."))
    if size > max_upload_bytes():
        message = _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(size / 1048576, 1),
            "limit": round(max_upload_bytes() / 1048576, 1),
        }
        raise field_error(field, message)
    found = sniff(upload)
    if found is None:
        message = _(
            "This file is not a document we accept (its content is checked, not its name); send one of: %(allowed)s."
        ) % {"allowed": ALLOWED_NAMES}
        raise field_error(field, message, code="file_type_refused")
    return found


def generated_name(extension: str) -> str:
    """A stored name nobody chose: the user's name never reaches the file system."""
    return f"{uuid.uuid4().hex}{extension}"


def download_name(original: str, extension: str) -> str:
    stem = os.path.splitext(os.path.basename(original or "file"))[0][:150] or "file"
    return f"{stem}{extension}"


def safe_file_response(field_file, *, filename: str) -> FileResponse:
    """A stored file as a download that no browser runs, whatever it contains."""
    with field_file.open("rb") as handle:
        found = sniff(handle)
    content_type = found[0] if found else "application/octet-stream"
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
