"""The journeys of issue 8, as a person takes them, by mouse and by keyboard."""

import re


def test_reader_goes_from_home_to_the_policy_interpretation(page, live_site):
    page.goto(live_site + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="新闻", exact=True).click()
    page.wait_for_url(re.compile(r".*/news/$"))
    page.get_by_role("link", name=re.compile("重庆出台专精特新")).first.click()
    page.wait_for_url(re.compile(r".*/news/little-giant-service-action-plan/$"))
    related = page.locator("section.article-related")
    related.get_by_role("link", name=re.compile("服务行动方案")).first.click()
    page.wait_for_url(re.compile(r".*/policies/cq-little-giant-service-action-plan/$"))
    assert "现行有效" in page.locator("main").inner_text()
    page.locator(".policy-interpretations").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/policies/cq-little-giant-action-plan-explained/$"))
    assert "市经信委负责人" in page.locator("h1").inner_text()


def test_reader_journey_by_keyboard(page, live_site):
    """The same path with Tab and Enter only: every link on it is reachable and visibly focused."""
    page.goto(live_site + "/")

    def tab_to(name_pattern, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            text = page.evaluate("document.activeElement && document.activeElement.textContent.trim()")
            if text and re.search(name_pattern, text):
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"focus on {text!r} is not visible"
                page.keyboard.press("Enter")
                return
        raise AssertionError(f"no focusable link matching {name_pattern!r}")

    tab_to(r"^新闻$")
    page.wait_for_url(re.compile(r".*/news/$"))
    tab_to(r"重庆出台专精特新")
    page.wait_for_url(re.compile(r".*/little-giant-service-action-plan/$"))
    tab_to(r"^重庆市专精特新“小巨人”企业服务行动方案$")
    page.wait_for_url(re.compile(r".*/cq-little-giant-service-action-plan/$"))
