"""Services models, one module per concern (see DESIGN.md)."""

from services.models.pages import CollaborationMapPage, ServiceIndexPage
from services.models.requests import RequestAttachment, RequestEvent, RequestStatus, ServiceRequest
from services.models.service_pages import ServicePage, ServicePagePolicy

__all__ = [
    "CollaborationMapPage",
    "RequestAttachment",
    "RequestEvent",
    "RequestStatus",
    "ServiceIndexPage",
    "ServicePage",
    "ServicePagePolicy",
    "ServiceRequest",
]
