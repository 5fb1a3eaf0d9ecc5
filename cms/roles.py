"""Names of the role groups and the demo accounts, in one place."""

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
