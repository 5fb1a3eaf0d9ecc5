"""Where request attachments live: the project's "private" storage, never a public URL.

settings.STORAGES["private"] is a FileSystemStorage under PRIVATE_MEDIA_ROOT (no base URL)
here and a private S3 prefix in production; files leave it only through the
permission-checking download view.
"""

import uuid
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.utils import timezone


def private_storage():
    # A callable, so migrations record this function rather than a storage configuration.
    return storages["private"]


def attachment_path(instance, filename):
    """A random name: the original name is kept in the database, never in the path."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"requests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"
