import pytest

from django.test import override_settings


@pytest.mark.django_db
def test_home_page_in_chinese_with_navigation(client, site_tree):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert 'href="#main"' in html  # skip link
    for label, url in [
        ("新闻", "/news/"),
        ("政策", "/policies/"),
        ("服务", "/services/"),
        ("科技协作", "/collaboration/"),
    ]:
        assert f'href="{url}">{label}</a>' in html
    assert 'action="/search/"' in html
    assert html.index("/news/") < html.index("/policies/") < html.index("/services/")


@pytest.mark.django_db
def test_current_section_is_marked(client, site_tree):
    html = client.get("/news/").content.decode()
    assert 'aria-current="page" href="/news/"' in html
    assert html.count('aria-current="page"') == 1
    assert '<a class="nav-link active" aria-current="page" href="/news/">' in html
    assert '<a class="nav-link" href="/policies/">' in html
    # A page inside a section marks it; the home page (in none of them) marks none.
    from news.factories import ArticlePageFactory

    ArticlePageFactory(parent=site_tree["news"], slug="uhd")
    article_html = client.get("/news/uhd/").content.decode()
    assert article_html.count('aria-current="page"') == 1
    assert 'aria-current="page" href="/news/"' in article_html
    policy_html = client.get("/policies/").content.decode()
    assert 'aria-current="page" href="/policies/"' in policy_html
    assert 'aria-current="page"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_footer_shows_site_settings(client, site_tree):
    from wagtail.models import Site

    from cms.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_phone = "023-12345678"
    site_settings.icp_number = "渝ICP备12345678号"
    site_settings.address = "重庆市渝北区示例路1号"
    site_settings.save()
    html = client.get("/").content.decode()
    assert "023-12345678" in html
    assert "渝ICP备12345678号" in html
    assert "重庆市渝北区示例路1号" in html


@pytest.mark.django_db
def test_meta_description_and_open_graph_come_from_promote_fields(client, site_tree):
    news = site_tree["news"]
    news.search_description = "重庆科技新闻汇总"
    news.seo_title = "科技新闻"
    news.save_revision().publish()
    html = client.get("/news/").content.decode()
    assert '<meta name="description" content="重庆科技新闻汇总">' in html
    assert '<meta property="og:title" content="科技新闻">' in html
    assert '<meta property="og:description" content="重庆科技新闻汇总">' in html


@pytest.mark.django_db
def test_static_assets_are_local(client, site_tree):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.trimmed.min.css" in html
    for cdn in ("cdn.", "googleapis", "jsdelivr", "unpkg", "bootcdn"):
        assert cdn not in html


@pytest.mark.django_db
def test_404_page_is_chinese(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面未找到" in html
    assert 'name="robots" content="noindex"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="cms.tests.urls_boom", DEBUG=False)
def test_500_page_is_chinese_and_standalone(client, site_tree):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器暂时出错" in html
    assert '<html lang="zh-Hans">' in html


@pytest.mark.django_db
def test_robots_and_sitemap(client, site_tree):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert b"/news/" in sitemap.content


@pytest.mark.django_db
def test_security_headers(client, site_tree):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_public_pages_carry_a_strict_script_policy(client, site_tree):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"].split()[0] == "'self'"  # plus a nonce when a page uses one
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_page_urls_come_from_the_kept_site_root_paths_and_follow_the_site(client, site_tree, monkeypatch):
    """Canonical, Open Graph and share URLs use the root paths the request was given
    (read once per content version), and change with the site."""
    from wagtail.models import Site

    from cms.models import SiteSettings
    from news.factories import ArticlePageFactory

    article = ArticlePageFactory(parent=site_tree["news"], slug="uhd")
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # made on first use: a content change
    for _ in range(2):  # the first view makes the image renditions: a content change too
        client.get(article.url)  # the root paths are kept for this content version

    def not_again():
        raise AssertionError("site root paths read again")

    with monkeypatch.context() as patched:
        patched.setattr(Site, "get_site_root_paths", staticmethod(not_again))
        html = client.get(article.url).content.decode()
    url = Site.objects.get(is_default_site=True).root_url + "/news/uhd/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'value="{url}" readonly data-share-url' in html
    assert f'"mainEntityOfPage": "{url}"' in html

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "www.cq-portal.example", 443
    site.save()
    html = client.get(article.url).content.decode()
    assert '<link rel="canonical" href="https://www.cq-portal.example/news/uhd/">' in html
