"""Response headers Django's SecurityMiddleware does not set."""

from django.conf import settings


def permissions_policy_header(policy):
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    parts = []
    for feature, allowlist in policy.items():
        origins = " ".join(origin if origin in ("self", "*") else f'"{origin}"' for origin in allowlist)
        parts.append(f"{feature}=({origins})" if origins != "*" else f"{feature}=*")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) to every response that has none.

    The site uses no camera, microphone, location, payment or USB device: the collaboration
    map draws markers from our own data and never asks the browser where the visitor is.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
