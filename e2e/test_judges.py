"""External judges on the public pages: axe-core, the Nu HTML Checker, mobile layout."""

import urllib.request

import pytest

from e2e.conftest import axe_violations, vnu_errors

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Public pages every issue adds to as the site grows.
PAGES = {
    "home": "/",
    "news": "/news/",
    "news-topic": "/news/?topic=uhd-video",
    "article": "/news/little-giant-service-action-plan/",
    "photo-article": "/news/remote-imaging-diagnosis/",
    "wire-article": "/news/zhifei-smart-ship-sea-trial/",
    "policies": "/policies/",
    "policies-query-facet": "/policies/?q=小巨人&issuer=cq-economy-it-commission",
    "policy": "/policies/cq-little-giant-service-action-plan/",
    "interpretation": "/policies/cq-little-giant-action-plan-explained/",
    "matcher": "/policies/match/?tier=national&needs=financing",
    "matcher-errors": "/policies/match/?tier=nonsense&needs=x",
    "services": "/services/",
    "service-talent": "/services/talent/",
    "service-testing": "/services/testing/",
    "service-financing": "/services/financing/",
    "service-design": "/services/design/",
    "service-technology": "/services/technology/",
    "tracking": "/services/track/",
    "collaboration": "/collaboration/",
    "collaboration-filtered": "/collaboration/?kind=result&year=nonsense",
    "collaboration-item": "/collaboration/wulong-alpine-vegetable-institute/",
    "experts": "/experts/?field=livestock",
    "expert": "/experts/sample-expert-sd-1/",
    "expert-consult": "/experts/sample-expert-sd-1/consult/",
    "search": "/search/?q=重庆",
    "search-policy-tab": "/search/?q=小巨人&type=policy",
    "search-empty": "/search/",
    "privacy": "/privacy/",
    "not-found": "/no-such-page/",
}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(page, live_site, name):
    page.goto(live_site + PAGES[name])
    violations = axe_violations(page)
    assert violations == [], violations


def test_html_is_valid(live_site, tmp_path):
    files = []
    for name, path in PAGES.items():
        try:
            with urllib.request.urlopen(live_site + urllib.parse.quote(path, safe="/?=&")) as response:
                body = response.read()
        except urllib.error.HTTPError as error:  # the 404 page is judged too
            body = error.read()
        target = tmp_path / f"{name}.html"
        target.write_bytes(body)
        files.append(target)
    errors = {name: messages for name, messages in vnu_errors(files).items() if messages}
    assert errors == {}, errors


@pytest.mark.parametrize("name", PAGES)
def test_mobile_layout_has_no_horizontal_scroll(browser, live_site, artifacts_dir, name):
    for width, height in ((375, 812), (1280, 800)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.goto(live_site + PAGES[name])
        page.screenshot(path=str(artifacts_dir / f"{name}-{width}x{height}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        context.close()
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"


def test_skip_link_moves_focus_to_main(page, live_site):
    page.goto(live_site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_header_search_box_submits(page, live_site):
    page.goto(live_site + "/")
    page.fill("#site-search-q", "重庆")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("h1").first.inner_text() == "搜索"


@pytest.mark.parametrize("category", ["talent", "testing", "financing", "design", "technology"])
def test_service_forms_with_errors_stay_accessible(page, live_site, category):
    page.goto(f"{live_site}/services/{category}/")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("[aria-invalid='true']")
    invalid = page.locator("[aria-invalid='true']")
    assert invalid.count() > 3
    # Every invalid field points at its message (checkbox and radio groups through their fieldset).
    described_by = invalid.evaluate_all(
        """fields => fields.map(f => [f.name,
            f.getAttribute('aria-describedby') || (f.closest('fieldset') || f).getAttribute('aria-describedby') || ''])"""
    )
    for name, described in described_by:
        assert any(page.locator(f"#{ident}").count() for ident in described.split()), (name, described)
    violations = axe_violations(page)
    assert violations == [], violations


KEYBOARD_PAGES = [
    "home",
    "news",
    "article",
    "policies-query-facet",
    "policy",
    "matcher",
    "service-financing",
    "tracking",
    "search-policy-tab",
    "collaboration",
    "expert",
    "expert-consult",
]

MARK_FOCUSABLE = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea';
    const visible = el => {
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0
            && !el.closest('[aria-hidden=true]') && !el.disabled && el.tabIndex >= 0;
    };
    const found = [...document.querySelectorAll(selector)].filter(visible);
    found.forEach((el, i) => el.dataset.kbd = String(i));
    return found.length;
}"""


@pytest.mark.parametrize("name", KEYBOARD_PAGES)
def test_every_control_is_reachable_by_tab_with_visible_focus(page, live_site, name):
    """The keyboard half of the journeys: Tab reaches every link, button and field, visibly."""
    page.goto(live_site + PAGES[name])
    total = page.evaluate(MARK_FOCUSABLE)
    reached, invisible = set(), []
    for _ in range(total + 10):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => { const el = document.activeElement; const style = getComputedStyle(el);
                       return [el.dataset.kbd || null, style.outlineStyle !== 'none' || style.boxShadow !== 'none',
                               el.outerHTML.slice(0, 80)]; }"""
        )
        if state[0] is not None:
            reached.add(int(state[0]))
            if not state[1]:
                invisible.append(state[2])
    missing = sorted(set(range(total)) - reached)
    assert not missing, f"{len(missing)} of {total} controls never received focus on {name}"
    assert not invisible, invisible
