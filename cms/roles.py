"""The role groups, the permissions each app gives them, and the demo accounts.

Apps declare what their roles may do with ``declare`` at import time of their ``demo``
module; ``apply_declared`` creates the groups and grants those permissions. ``load_demo``
calls it, and so does ``manage.py setup_roles`` on a production site without demo content.
"""

EDITORS = "Editors"  # Wagtail's default group: drafts and edits content
MODERATORS = "Moderators"  # Wagtail's default group: approves and publishes
OFFICERS = "Officers"  # service officers: handle SME requests

DEMO_PASSWORD = "demo-2026"  # noqa: S105  # nosec B105

DEMO_USERS = [
    # username, group (None = superuser), display name
    ("admin", None, "系统管理员"),
    ("editor", EDITORS, "编辑"),
    ("moderator", MODERATORS, "审核员"),
    ("officer", OFFICERS, "服务专员"),
]


_DECLARED = []


def declare(group_name, *permissions):
    """Record that ``group_name`` gets the permissions named "app_label.codename"."""
    _DECLARED.append((group_name, permissions))


def declared():
    """{group name: sorted permission names} for everything declared so far."""
    grants = {}
    for group_name, permissions in _DECLARED:
        grants.setdefault(group_name, set()).update(permissions)
    return {name: sorted(permissions) for name, permissions in grants.items()}


def apply_declared():
    """Create the groups and grant the declared permissions (idempotent); returns ``declared()``."""
    from django.contrib.auth.models import Group, Permission

    grants = declared()
    for group_name, permissions in grants.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for dotted in permissions:
            app_label, codename = dotted.split(".", 1)
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return grants
