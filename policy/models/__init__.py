"""Policy models: the library, policy documents and their interpretations (see DESIGN.md)."""

from policy.models.interpretation import InterpretationPage
from policy.models.library import PolicyLibraryPage
from policy.models.policy import PolicyAttachment, PolicyIssuer, PolicyPage, PolicyPageQuerySet, PolicyTopic

__all__ = [
    "InterpretationPage",
    "PolicyAttachment",
    "PolicyIssuer",
    "PolicyLibraryPage",
    "PolicyPage",
    "PolicyPageQuerySet",
    "PolicyTopic",
]
