"""Storage for request attachments, outside MEDIA_ROOT and without a public URL."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT; ``url()`` is refused so nothing links to them directly."""

    def __init__(self):
        super().__init__(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

    def url(self, name):
        raise NotImplementedError("Private files are served only through the permission-checking view.")


def private_storage():
    # A callable, so migrations record this function rather than a machine-specific path.
    return PrivateStorage()


def attachment_path(instance, filename):
    """A random name: the original name is kept in the database, never in the path."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"requests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"
