"""Services models, one module per concern (see DESIGN.md)."""

from services.models.collaboration import (
    CollaborationItemImage,
    CollaborationItemPage,
    CollaborationMapPage,
    TechField,
)
from services.models.enterprises import Enterprise, OfficerGroup
from services.models.experts import ExpertIndexPage, ExpertPage, ExpertQuestion
from services.models.pages import ServiceIndexPage
from services.models.requests import RequestAttachment, RequestEvent, RequestStatus, ServiceRequest
from services.models.service_pages import ServicePage, ServicePagePolicy

__all__ = [
    "CollaborationItemImage",
    "CollaborationItemPage",
    "CollaborationMapPage",
    "Enterprise",
    "ExpertIndexPage",
    "ExpertPage",
    "ExpertQuestion",
    "OfficerGroup",
    "RequestAttachment",
    "RequestEvent",
    "RequestStatus",
    "ServiceIndexPage",
    "ServicePage",
    "ServicePagePolicy",
    "ServiceRequest",
    "TechField",
]
