"""Registry for demo-content loaders.

``manage.py load_demo`` lives in ``cms`` (the ground floor), which must not import
the content apps. Each app instead ships a ``demo`` module that registers its
loaders here; the command autodiscovers those modules and runs the loaders in
order. Every loader must be idempotent: running it twice leaves the same rows.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from cms import roles

_LOADERS = []

# Where the seed newspaper page lives: beside the checkout, or vendored into cms/seed. Loaders
# write their content from it by hand; the tests that hold the demo wording to the seed, the
# search relevance set and bench/search.py read it.
SEED_CANDIDATES = [
    Path(settings.BASE_DIR).parent / "shared" / "seed" / "chongqing-daily-tech-page.txt",
    Path(settings.BASE_DIR) / "cms" / "seed" / "chongqing-daily-tech-page.txt",
]


def read_seed():
    """The seed page's text, or "" when neither location has it."""
    for candidate in SEED_CANDIDATES:
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    return ""


@dataclass
class DemoContext:
    """What loaders share: the site's home page, output and command options."""

    home: object
    stdout: object
    style: object
    options: dict = field(default_factory=dict)

    def log(self, message):
        self.stdout.write(message)


def register(order):
    """Register ``func(ctx)`` to run at ``order`` (lower first; cms uses 0-99)."""

    def decorator(func):
        _LOADERS.append((order, func.__module__, func))
        return func

    return decorator


def loaders():
    return [func for _order, _module, func in sorted(_LOADERS, key=lambda item: (item[0], item[1]))]


# ---------------------------------------------------------------------------
# Helpers loaders share.


def child_page(parent, model, slug, **fields):
    """Return the live child of ``parent`` with ``slug``, creating and publishing it if missing.

    An existing page is left as it is, so re-running the loader changes nothing.
    """
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def placeholder_image(title, caption="", colour=(179, 22, 30), size=(1200, 800)):
    """A locally drawn placeholder image (no downloads), found again by title on re-runs."""
    import io

    from PIL import Image as PILImage
    from PIL import ImageDraw

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = size
    canvas = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(canvas)
    # Diagonal bands so the placeholder reads as a picture, not a blank box.
    for offset in range(-height, width, 80):
        draw.line([(offset, height), (offset + height, 0)], fill=tuple(min(255, c + 30) for c in colour), width=24)
    draw.rectangle([(40, height - 140), (width - 40, height - 40)], fill=(255, 255, 255))
    draw.text((60, height - 110), "DEMO IMAGE", fill=colour)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=80)
    filename = f"demo-{abs(hash(title)) % 10**8}.jpg"
    image = Image(title=title, description=caption)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=filename)
    image.save()
    return image


def grant(group_name, *permissions):
    """Give ``group_name`` the permissions named "app_label.codename" (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=group_name)
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)
    return group


# ---------------------------------------------------------------------------
# The ground floor's own demo content: taxonomy, roles and site settings.

REGIONS = [
    # name, slug, level, parent slug
    ("重庆", "chongqing", "province", None),
    ("四川", "sichuan", "province", None),
    ("山东", "shandong", "province", None),
    ("青岛", "qingdao", "city", "shandong"),
    ("江北区", "jiangbei", "district", "chongqing"),
    ("大渡口区", "dadukou", "district", "chongqing"),
    ("武隆区", "wulong", "district", "chongqing"),
]

TOPICS = [
    ("超高清视频", "uhd-video"),
    ("智慧医疗", "smart-healthcare"),
    ("智能船舶", "smart-shipping"),
    ("青少年科技创新", "youth-innovation"),
    ("机器人与人工智能", "robotics-ai"),
    ("专精特新", "specialised-smes"),
    ("中小企业服务", "sme-services"),
    ("科技协作", "sci-tech-collaboration"),
    ("乡村振兴", "rural-revitalisation"),
]

ORGANISATIONS = [
    # name, short name, slug, kind, region slug
    ("重庆日报", "", "chongqing-daily", "media", "chongqing"),
    ("新华社", "", "xinhua", "media", None),
    ("重庆市经济和信息化委员会", "市经信委", "cq-economy-it-commission", "government", "chongqing"),
    ("重庆市科学技术局", "重庆市科技局", "cq-science-technology-bureau", "government", "chongqing"),
    ("山东省科学技术厅", "山东省科技厅", "sd-science-technology-department", "government", "shandong"),
    ("重庆市农业科学院", "重庆市农科院", "cq-academy-agricultural-sciences", "institute", "chongqing"),
    ("山东省农业科学院", "山东省农科院", "sd-academy-agricultural-sciences", "institute", "shandong"),
    ("重庆康佳光电技术研究院有限公司", "", "cq-konka-optoelectronics", "company", "chongqing"),
    ("超高清视频（四川）制作技术协同中心", "", "uhd-video-sichuan-centre", "other", "sichuan"),
    ("重庆赛宝工业技术研究院有限公司", "", "cq-ceprei", "company", "chongqing"),
    ("重庆医科大学附属第一医院", "", "cqmu-first-hospital", "other", "chongqing"),
    ("重庆大学", "", "chongqing-university", "university", "chongqing"),
    ("品胜科技", "", "pisen", "company", "chongqing"),
    ("山外山", "", "shanwaishan", "company", "chongqing"),
    ("大江动力", "", "dajiang-power", "company", "chongqing"),
    ("桴之科", "", "fuzhike", "company", "chongqing"),
]


@register(10)
def load_taxonomy(ctx):
    from cms.models import Organisation, Region, Topic

    for order, (name, slug, level, parent_slug) in enumerate(REGIONS):
        parent = Region.objects.get(slug=parent_slug) if parent_slug else None
        Region.objects.get_or_create(
            slug=slug, defaults={"name": name, "level": level, "parent": parent, "sort_order": order}
        )
    for name, slug in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    for name, short_name, slug, kind, region_slug in ORGANISATIONS:
        region = Region.objects.get(slug=region_slug) if region_slug else None
        Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short_name, "kind": kind, "region": region}
        )
    ctx.log(
        f"  地区 {Region.objects.count()} 个，主题 {Topic.objects.count()} 个，机构 {Organisation.objects.count()} 个"
    )


_TAXONOMY = [f"cms.{action}_{model}" for model in ("region", "topic", "organisation") for action in ("add", "change")]
roles.declare(roles.EDITORS, "wagtailadmin.access_admin", *_TAXONOMY)
roles.declare(
    roles.MODERATORS,
    "wagtailadmin.access_admin",
    *_TAXONOMY,
    *[f"cms.delete_{model}" for model in ("region", "topic", "organisation")],
    "cms.change_sitesettings",
)
roles.declare(roles.OFFICERS, "wagtailadmin.access_admin")


@register(20)
def load_roles(ctx):
    """Every app's declared role permissions (see ``cms.roles``), then the demo accounts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    roles.apply_declared()
    User = get_user_model()
    for username, group_name, display_name in roles.DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=display_name, email=f"{username}@example.org")
            user.is_staff = group_name is None
            user.is_superuser = group_name is None
            user.set_password(roles.DEMO_PASSWORD)
            user.save()
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
    ctx.log(f"  演示账号 {len(roles.DEMO_USERS)} 个")


@register(60)
def load_site_settings(ctx):
    from wagtail.models import Site

    from cms.models import SiteSettings

    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.site_description:
        site_settings.site_description = "重庆地区科技新闻、中小企业政策与专精特新企业服务的一站式平台（演示站点）。"
        site_settings.sponsor = "示例主办单位"
        site_settings.contact_phone = "023-00000000（示例）"
        site_settings.address = "重庆市（示例地址）"
        site_settings.icp_number = "渝ICP备00000000号（示例）"
        site_settings.save()
