"""Services models, one module per concern (see DESIGN.md)."""

from services.models.collaboration import (
    CollaborationItemImage,
    CollaborationItemPage,
    CollaborationMapPage,
    TechField,
)
from services.models.experts import ExpertIndexPage, ExpertPage, ExpertQuestion
from services.models.pages import ServiceIndexPage

__all__ = [
    "CollaborationItemImage",
    "CollaborationItemPage",
    "CollaborationMapPage",
    "ExpertIndexPage",
    "ExpertPage",
    "ExpertQuestion",
    "ServiceIndexPage",
    "TechField",
]
