"""Services models, one module per concern (see DESIGN.md)."""

from services.models.pages import CollaborationMapPage, ServiceIndexPage

__all__ = ["CollaborationMapPage", "ServiceIndexPage"]
