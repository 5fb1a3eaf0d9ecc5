"""Attachment checks by content (magic bytes), not only by file name.

A file is accepted when its extension is allowed and its first bytes (and, for
zip-based formats, its member names) match what that extension promises: an
``.exe`` renamed ``.pdf`` starts with ``MZ`` and is refused.
"""

import zipfile
from pathlib import PurePosixPath

from django.conf import settings

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word/Excel

# extension -> (family, MIME type served on download)
EXTENSIONS = {
    ".pdf": ("pdf", "application/pdf"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
    ".doc": ("ole", "application/msword"),
    ".xls": ("ole", "application/vnd.ms-excel"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".ofd": ("ofd", "application/ofd"),
}


def max_attachments():
    return getattr(settings, "SERVICES_MAX_ATTACHMENTS", 5)


def max_attachment_bytes():
    return getattr(settings, "SERVICES_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


def _zip_members(uploaded):
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()
    finally:
        uploaded.seek(0)


def sniff_family(uploaded):
    """The family the content belongs to, or None when it is none we accept."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(OLE2):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        members = _zip_members(uploaded)
        if "word/document.xml" in members:
            return "docx"
        if "xl/workbook.xml" in members:
            return "xlsx"
        if "OFD.xml" in members:
            return "ofd"
    return None


def check_attachment(uploaded):
    """Return (content_type, error_message or None) for one uploaded file."""
    from django.utils.translation import gettext as _

    name = uploaded.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in EXTENSIONS:
        return None, _("“%(name)s”的格式不支持，请上传 PDF、JPG、PNG、Word、Excel 或 OFD 文件。") % {"name": name}
    if uploaded.size == 0:
        return None, _("“%(name)s”是空文件。") % {"name": name}
    if uploaded.size > max_attachment_bytes():
        return None, _("“%(name)s”超过 %(mb)d MB。") % {"name": name, "mb": max_attachment_bytes() // (1024 * 1024)}
    family, content_type = EXTENSIONS[suffix]
    if sniff_family(uploaded) != family:
        return None, _("“%(name)s”的内容与扩展名不符，可能不是真正的 %(ext)s 文件。") % {
            "name": name,
            "ext": suffix.lstrip(".").upper(),
        }
    return content_type, None
