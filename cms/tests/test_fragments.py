"""Output kept per content version: ``{% fragment %}`` and Wagtail's image tags (cms.fragments)."""

import pytest
from wagtail_factories import ImageFactory

from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.utils import translation

from wagtail.images.models import Rendition
from wagtail.images.templatetags.wagtailimages_tags import ImageNode, PictureNode, SrcsetImageNode

from cms import fragments
from cms.cache import bump_version
from cms.templatetags.cms_tags import FragmentNode

FRAGMENT = '{% load cms_tags %}{% fragment "t" name=name tags=tags %}[{{ name }}|{{ other }}|{{ tags|join:"," }}]{% endfragment %}'


def counted(template):
    """``template`` whose fragment contents count their renders in ``template.renders``."""
    template.renders = 0
    for node in template.nodelist.get_nodes_by_type(FragmentNode):
        render = node.nodelist.render

        def counting(context, render=render):
            template.renders += 1
            return render(context)

        node.nodelist.render = counting
    return template


def test_a_fragment_sees_only_the_values_it_is_given():
    template = Template(FRAGMENT)
    html = template.render(Context({"name": "重庆<小巨人>", "other": "页面的值", "tags": ["a", "b"]}))
    assert html == "[重庆&lt;小巨人&gt;||a,b]"


def test_a_fragment_is_rendered_once_per_content_version_and_values():
    template = counted(Template(FRAGMENT))
    context = {"name": "成渝", "tags": ("超高清",)}
    assert template.render(Context(context)) == "[成渝||超高清]"
    assert template.render(Context(context)) == "[成渝||超高清]"
    assert template.renders == 1
    # Other values, another entry; the first is still kept.
    assert template.render(Context({**context, "name": "重庆"})) == "[重庆||超高清]"
    assert template.render(Context(context)) == "[成渝||超高清]"
    assert template.renders == 2
    # Another language, another entry.
    with translation.override("en"):
        template.render(Context(context))
    assert template.renders == 3
    # Any content change starts a new version: rendered again.
    bump_version()
    assert template.render(Context(context)) == "[成渝||超高清]"
    assert template.renders == 4


def test_a_changed_setting_forgets_kept_fragments():
    template = counted(Template(FRAGMENT))
    template.render(Context({"name": "成渝", "tags": []}))
    with override_settings(ROOT_URLCONF="cms.urls"):
        template.render(Context({"name": "成渝", "tags": []}))
    assert template.renders == 2


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_without_a_cache_that_keeps_the_version_fragments_render_every_time():
    template = counted(Template(FRAGMENT))
    for _ in range(2):
        assert template.render(Context({"name": "成渝", "tags": []})) == "[成渝||]"
    assert template.renders == 2


@pytest.mark.parametrize("value", [{"a": 1}, object(), [["list", {"in": "list"}]]])
def test_a_fragment_refuses_values_that_can_change(value):
    with pytest.raises(TypeError, match="not immutable"):
        Template(FRAGMENT).render(Context({"name": value, "tags": []}))


@pytest.mark.parametrize(
    "source",
    [
        "{% fragment %}x{% endfragment %}",
        "{% fragment name %}x{% endfragment %}",
        '{% fragment "n" positional %}x{% endfragment %}',
        '{% fragment "n" a=1 positional %}x{% endfragment %}',
        '{% fragment "n" %}x',
    ],
)
def test_fragment_syntax_errors(source):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load cms_tags %}" + source)


# -- the site's header and footer ---------------------------------------------------


@pytest.mark.django_db
def test_header_search_text_is_the_visitors_and_not_kept(client, site_tree):
    html = client.get("/search/", {"q": '"><script>重庆'}).content.decode()
    assert 'name="q" value="&quot;&gt;&lt;script&gt;重庆" placeholder=' in html
    kept = len(fragments._FRAGMENTS)
    for query in ("成渝", "小巨人", "超高清"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert f'id="site-search-q" name="q" value="{query}"' in html
    assert len(fragments._FRAGMENTS) == kept  # the text never makes an entry
    assert 'id="site-search-q" name="q" value=""' in client.get("/news/").content.decode()


@pytest.mark.django_db
def test_header_follows_a_renamed_section_and_the_site_name(client, site_tree):
    from wagtail.models import Site

    assert 'href="/news/">新闻</a>' in client.get("/news/").content.decode()
    news = site_tree["news"]
    news.title = "科技新闻"
    news.save_revision().publish()
    html = client.get("/news/").content.decode()
    assert '<a class="nav-link active" aria-current="page" href="/news/">科技新闻</a>' in html
    site = Site.objects.get(is_default_site=True)
    site.site_name = "重庆科技"
    site.save()
    assert '<a class="navbar-brand fw-bold" href="/">重庆科技</a>' in client.get("/news/").content.decode()


@pytest.mark.django_db
def test_footer_follows_site_settings_saved_later(client, site_tree):
    from wagtail.models import Site

    from cms.models import SiteSettings

    assert "023-12345678" not in client.get("/").content.decode()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_phone = "023-12345678"
    site_settings.sponsor = "重庆日报<科技>"
    site_settings.save()
    html = client.get("/").content.decode()
    assert "联系电话：023-12345678" in html
    assert "主办单位：重庆日报&lt;科技&gt;" in html


# -- Wagtail's image tags -------------------------------------------------------------

IMAGE_TAGS = {
    ImageNode: '{% image image fill-80x60 format-webp class="c" alt=alt %}',
    SrcsetImageNode: '{% srcset_image image width-{80,160} sizes="100vw" alt=alt %}',
    PictureNode: '{% picture image format-{avif,webp} width-{80,160} alt=alt decoding="async" %}',
}


def wagtails_html(node_class, source, context):
    """What Wagtail's own ``render`` gives for ``source``."""
    template = Template("{% load wagtailimages_tags %}" + source)
    (node,) = template.nodelist.get_nodes_by_type(node_class)
    return node_class.render.__wrapped__(node, Context(context))


@pytest.mark.django_db
@pytest.mark.parametrize("node_class", IMAGE_TAGS)
def test_image_tags_give_wagtails_html_and_keep_it(node_class, django_assert_num_queries):
    source = IMAGE_TAGS[node_class]
    image = ImageFactory(title="示例图片")
    context = {"image": image, "alt": "成渝<超高清>"}
    template = Template("{% load wagtailimages_tags %}" + source)
    first = template.render(Context(context))
    assert "成渝&lt;超高清&gt;" in first and 'src="' in first
    assert first == wagtails_html(node_class, source, context)
    fresh = type(image).objects.get(pk=image.pk)  # another object for the same image
    with django_assert_num_queries(0):  # the renditions are not looked up again
        assert template.render(Context({**context, "image": fresh})) == first
    other_alt = template.render(Context({**context, "alt": "重庆"}))
    assert 'alt="重庆"' in other_alt and other_alt != first


@pytest.mark.django_db
def test_kept_image_html_follows_the_image_and_its_renditions():
    source = "{% picture image format-{avif,webp} fill-{80x60,160x120} alt=alt %}"  # a crop follows the focal point
    image = ImageFactory(title="示例图片", width=640, height=480)
    context = {"image": image, "alt": ""}
    template = Template("{% load wagtailimages_tags %}" + source)
    first = template.render(Context(context))
    # A new focal point: saved, the version changes and the renditions are new.
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 10, 10, 20, 20
    image.save()
    image.renditions.all().delete()
    second = template.render(Context(context))
    assert second != first
    assert second == wagtails_html(PictureNode, source, context)
    # Renditions purged alone (no image saved): their URLs are not served from memory.
    urls = set(Rendition.objects.filter(image=image).values_list("file", flat=True))
    Rendition.objects.filter(image=image).delete()
    third = template.render(Context(context))
    assert Rendition.objects.filter(image=image).count() == len(urls)  # made again
    assert third == wagtails_html(PictureNode, source, context)


@pytest.mark.django_db
def test_image_tags_not_kept_render_as_wagtail_renders():
    image = ImageFactory(title="示例图片")
    kept = len(fragments._FRAGMENTS)
    # Renditions stored in a variable, an attribute that is not a plain value, no image.
    template = Template(
        "{% load i18n wagtailimages_tags %}{% picture image width-{80,160} as pic %}{% if pic %}80{% endif %}"
        "{% image image width-80 alt=lazy %}{% image missing width-80 %}"
    )
    from django.utils.translation import gettext_lazy

    html = template.render(Context({"image": image, "lazy": gettext_lazy("搜索")}))
    assert html.startswith("80<img") and 'alt="搜索"' in html
    assert len(fragments._FRAGMENTS) == kept


@pytest.fixture
def lookups(monkeypatch):
    """The (image, spec) of every rendition Wagtail is asked for through its shortcut."""
    from wagtail.images import shortcuts

    asked = []
    unwatched = shortcuts.get_rendition_or_not_found
    monkeypatch.setattr(shortcuts, "get_rendition_or_not_found", lambda *args: asked.append(args) or unwatched(*args))
    return asked


@pytest.mark.django_db
def test_kept_rendition_is_wagtails_and_follows_the_image(lookups, django_assert_num_queries):
    spec = "fill-1200x630"
    image = ImageFactory(title="示例分享图", width=640, height=480)
    first = fragments.kept_rendition(image, spec)
    rendition = image.get_rendition(spec)
    assert (first.url, first.width, first.height) == (rendition.url, rendition.width, rendition.height)
    fresh = type(image).objects.get(pk=image.pk)  # another object for the same image
    with django_assert_num_queries(0):
        assert fragments.kept_rendition(fresh, spec) is first
    assert len(lookups) == 1
    assert fragments.kept_rendition(image, "fill-80x60").width == 80  # the spec is in the key
    # A new focal point: saved, the version changes and the crop is a new rendition.
    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 10, 10, 20, 20
    image.save()
    second = fragments.kept_rendition(image, spec)
    assert second.url != first.url and second.url == image.get_rendition(spec).url
    # Renditions purged alone (no image saved): looked up (and made) again.
    before = len(lookups)
    Rendition.objects.filter(image=image).delete()
    assert fragments.kept_rendition(image, spec).url == image.get_rendition(spec).url
    assert len(lookups) == before + 1


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
@pytest.mark.django_db
def test_without_a_cache_that_keeps_the_version_renditions_are_looked_up_every_time(lookups):
    image = ImageFactory(title="示例分享图")
    fragments.kept_rendition(image, "fill-1200x630")
    fragments.kept_rendition(image, "fill-1200x630")
    assert len(lookups) == 2
