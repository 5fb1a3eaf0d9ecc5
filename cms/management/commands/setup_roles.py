"""Create the role groups and grant each app's declared permissions, without demo content.

A production site runs this after ``migrate`` (and after upgrades that add permissions);
``load_demo`` does the same as its first step. Idempotent: running it twice changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from cms import roles


class Command(BaseCommand):
    help = "创建角色组并授予各模块声明的权限（不加载演示内容，可重复运行）。"

    def handle(self, *args, **options):
        # Each app declares its roles' permissions in its demo module (see cms.roles).
        autodiscover_modules("demo")
        with transaction.atomic():
            grants = roles.apply_declared()
        for group_name, permissions in sorted(grants.items()):
            self.stdout.write(f"{group_name}: {len(permissions)} 项权限")
            for permission in permissions:
                self.stdout.write(f"  {permission}")
        self.stdout.write(self.style.SUCCESS("角色组已就绪。"))
