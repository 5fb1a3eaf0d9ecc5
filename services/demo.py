from cms.demo import child_page, register
from services.models import CollaborationMapPage, ServiceIndexPage


@register(300)
def load_service_index(ctx):
    ctx.service_index = child_page(
        ctx.home,
        ServiceIndexPage,
        "services",
        title="服务",
        show_in_menus=True,
        listing_summary="人才培训与引入、产品检测、融资、工业设计、技术创新服务在线申请与进度查询。",
    )


@register(400)
def load_collaboration_map(ctx):
    ctx.collaboration_map = child_page(
        ctx.home,
        CollaborationMapPage,
        "collaboration",
        title="科技协作",
        show_in_menus=True,
        listing_summary="鲁渝科技协作项目、科技成果和示范基地地图。",
    )


from services.collaboration import demo as collaboration_demo  # noqa: E402, F401  (registers its loaders)
