from cms.demo import child_page, register
from policy.models import PolicyLibraryPage


@register(200)
def load_policy_library(ctx):
    ctx.policy_library = child_page(
        ctx.home,
        PolicyLibraryPage,
        "policies",
        title="政策",
        show_in_menus=True,
        listing_summary="中小企业和专精特新企业相关政策文件、政策解读，以及按企业条件匹配的扶持措施。",
    )
