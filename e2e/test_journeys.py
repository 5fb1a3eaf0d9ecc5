"""The journeys of issue 8, as a person takes them, by mouse and by keyboard."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


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


def _valid_credit_code():
    from services.validators import credit_code_check_character

    first17 = "91500000MA5U00001"
    return first17 + credit_code_check_character(first17)


def _track(page, live_site, reference, phone):
    page.goto(live_site + "/services/track/")
    page.get_by_label("受理编号").fill(reference)
    page.get_by_label("联系电话").fill(phone)
    page.get_by_role("button", name="查询").click()
    return page.locator("main").inner_text()


def test_sme_submits_financing_request_then_officer_handles_it(page, live_site, browser):
    # Journey 3: one bad field, error beside it, other input kept, corrected, PDF attached.
    page.goto(live_site + "/services/financing/")
    page.get_by_label("企业名称").fill("示例渝企科技有限公司")
    page.get_by_label("统一社会信用代码").fill(_valid_credit_code())
    page.get_by_label("企业类型").select_option("national")
    page.get_by_label("所在区县").select_option(label="江北区")
    page.get_by_label("所属行业").fill("汽车零部件制造")
    page.get_by_label("职工人数").fill("120")
    page.get_by_label("联系人").fill("王经理")
    page.get_by_label("联系电话").fill("12345")  # the one bad field
    page.get_by_label("需求描述").fill("扩大生产线，需要流动资金贷款。")
    page.get_by_label("融资金额").fill("500")
    page.get_by_label("资金用途").fill("购置设备")
    page.get_by_label("期限（月）").fill("24")
    page.get_by_label("融资方式").select_option("loan")
    page.get_by_label("上年营业收入").fill("8000")
    page.get_by_label("我已阅读并同意").check()
    page.wait_for_timeout(3200)  # the form refuses submissions faster than a person types
    page.get_by_role("button", name="提交申请").click()

    phone = page.get_by_label("联系电话")
    assert phone.get_attribute("aria-invalid") == "true"
    described_by = phone.get_attribute("aria-describedby") or ""
    error_text = " ".join(page.locator(f"#{ident}").inner_text() for ident in described_by.split() if ident)
    assert "电话" in error_text or "号码" in error_text, error_text
    assert page.get_by_label("企业名称").input_value() == "示例渝企科技有限公司"
    assert page.get_by_label("融资金额").input_value() == "500"
    assert page.get_by_label("需求描述").input_value() == "扩大生产线，需要流动资金贷款。"

    phone.fill("13800138000")
    if not page.get_by_label("我已阅读并同意").is_checked():
        page.get_by_label("我已阅读并同意").check()
    page.get_by_label("附件").set_input_files(
        {"name": "融资计划.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"}
    )
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/services/receipt/.+/$"))
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z]{2}\d{4}-[0-9A-Z]{6}", reference), reference
    assert "13800138000" not in page.content()  # the receipt shows no personal data
    assert "已提交" in _track(page, live_site, reference, "13800138000")

    # Journey 4: an officer finds the request, accepts and assigns it with a public note.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = context.new_page()
    admin.goto(live_site + "/admin/login/")
    admin.fill("#id_username", "officer")
    admin.fill("#id_password", "demo-2026")
    admin.locator("form button[type=submit]").first.click()
    admin.wait_for_url(re.compile(r".*/admin/$"))
    admin.goto(live_site + f"/admin/servicerequest/?q={reference}")
    admin.get_by_role("link", name=reference).first.click()
    admin.wait_for_url(re.compile(r".*/inspect/\d+/$"))
    assert "示例渝企科技有限公司" in admin.content()
    admin.get_by_label("变更状态").select_option(label="已受理")
    admin.get_by_label("承办人").select_option(index=1)
    admin.get_by_label("说明/备注").fill("已安排融资专员对接，请保持电话畅通。")
    admin.get_by_role("button", name="保存").click()
    admin.wait_for_load_state()
    assert "已保存" in admin.content()
    context.close()

    tracked = _track(page, live_site, reference, "13800138000")
    assert "已受理" in tracked
    assert "已安排融资专员对接，请保持电话畅通。" in tracked


def test_visitor_searches_then_finds_policy_measure_and_service_form(page, live_site):
    # Journey 2: header search → policy tab → issuer filter → policy → validity and measures
    # → matcher → a matching measure's button → the financing form.
    page.goto(live_site + "/")
    page.fill("#site-search-q", "小巨人")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    page.locator(".nav-tabs").get_by_role("link", name=re.compile("^政策")).click()
    page.wait_for_url(re.compile(r".*type=policy.*"))
    assert "重庆市专精特新“小巨人”企业服务行动方案" in page.locator("main").inner_text()
    page.locator(".search-finder a").click()
    page.wait_for_url(re.compile(r".*/policies/\?q=.*"))
    page.locator(".facet-issuer").get_by_role("link", name=re.compile("重庆市经济和信息化委员会")).click()
    page.wait_for_url(re.compile(r".*issuer=cq-economy-it-commission.*"))
    page.get_by_role("link", name="重庆市专精特新“小巨人”企业服务行动方案").first.click()
    page.wait_for_url(re.compile(r".*/policies/cq-little-giant-service-action-plan/$"))
    main = page.locator("main").inner_text()
    assert "现行有效" in main
    assert "融资" in main  # the support measures are listed

    page.goto(live_site + "/policies/")
    page.get_by_role("link", name=re.compile("政策匹配")).click()
    page.get_by_label("企业层级").select_option("national")
    page.get_by_label("融资服务").check()
    page.get_by_role("button", name="查看匹配的措施").click()
    assert "重庆市专精特新“小巨人”企业服务行动方案" in page.locator("main").inner_text()
    page.get_by_role("link", name=re.compile("^申请融资服务")).first.click()
    page.wait_for_url(re.compile(r".*/services/financing/$"))
    assert page.get_by_label("融资金额").is_visible()


def test_header_search_box_suggests_titles_while_typing(page, live_site):
    page.goto(live_site + "/news/")
    page.locator("#site-search-q").press_sequentially("小巨", delay=50)
    options = page.locator("#site-search-suggestions option")
    options.first.wait_for(state="attached")
    values = options.evaluate_all("els => els.map(e => e.value)")
    assert any("小巨人" in value for value in values), values


def test_visitor_filters_the_collaboration_map_and_the_list_follows(page, live_site):
    # Journey 6: markers on the map, a kind filter, the list below shows the same kind.
    page.goto(live_site + "/collaboration/")
    page.wait_for_selector("#collab-map .leaflet-marker-icon, #collab-map .leaflet-interactive")
    markers_before = page.locator("#collab-map .leaflet-marker-icon, #collab-map path.leaflet-interactive").count()
    assert markers_before > 0
    page.get_by_label("类型").select_option("result")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#item-list .collab-item')].every(li => li.dataset.kind === 'result')"
    )
    kinds = page.locator("#item-list .collab-item").evaluate_all("items => items.map(li => li.dataset.kind)")
    assert kinds and set(kinds) == {"result"}
    page.wait_for_function(
        f"() => document.querySelectorAll('#collab-map .leaflet-marker-icon, #collab-map path.leaflet-interactive')"
        f".length < {markers_before}"
    )


def test_visitor_asks_an_expert_privately_and_tracks_it(page, live_site):
    page.goto(live_site + "/experts/sample-expert-sd-1/")
    page.get_by_role("link", name=re.compile("在线咨询")).click()
    page.wait_for_url(re.compile(r".*/consult/$"))
    page.get_by_label("联系人").fill("农户乙")
    page.get_by_label("联系电话").fill("13700137000")
    page.get_by_label("咨询主题").fill("甜樱桃引种")
    page.get_by_label("咨询内容").fill("武隆高山地区能否种植甜樱桃？")
    page.get_by_label("我已阅读并同意").check()
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="提交咨询").click()
    page.wait_for_url(re.compile(r".*/services/receipt/ZX.+/$"))
    reference = page.locator("#reference").inner_text().strip()
    assert "已提交" in _track(page, live_site, reference, "13700137000")


def _admin_login(browser, live_site, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    admin = context.new_page()
    admin.goto(live_site + "/admin/login/")
    admin.fill("#id_username", username)
    admin.fill("#id_password", "demo-2026")
    admin.locator("form button[type=submit]").first.click()
    admin.wait_for_url(re.compile(r".*/admin/$"))
    return context, admin


def _footer_action(admin, selector):
    """Click an action in the editor's footer menu, opening its dropdown when it is folded away."""
    button = admin.locator(selector).first
    if not button.is_visible():
        admin.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").last.click()
    button.click()


def test_editor_drafts_moderator_approves_both_steps_article_goes_live(browser, live_site):
    # Journey 5: an editor drafts and submits to 初审 → 终审; a moderator approves both.
    from e2e.conftest import live_shell

    news_id = live_shell("from news.models import NewsIndexPage; print(NewsIndexPage.objects.get().pk)")
    title = "示例：工作流浏览器测试新闻"
    context, admin = _admin_login(browser, live_site, "editor")
    admin.goto(live_site + f"/admin/pages/add/news/articlepage/{news_id}/")
    admin.locator("#id_title").fill(title)
    admin.locator("#id_lead").fill("编辑在浏览器中撰写并提交审核的稿件。")
    _footer_action(admin, "button[name='action-submit']")
    admin.wait_for_url(re.compile(rf".*/admin/pages/{news_id}/$"))  # back in the explorer
    assert "审核中" in admin.locator("main").inner_text()
    context.close()
    page_id = live_shell(f"from news.models import ArticlePage; print(ArticlePage.objects.get(title='{title}').pk)")

    for step in ("初审", "终审"):
        context, admin = _admin_login(browser, live_site, "moderator")
        admin.goto(live_site + f"/admin/pages/{page_id}/edit/")
        _footer_action(admin, "button[data-workflow-action-name='approve']")
        admin.wait_for_url(re.compile(rf".*/admin/pages/(?!{page_id}/edit/).*"))
        admin.screenshot(path=f"test-artifacts/journey5-{step}.png", full_page=True)
        context.close()
        state = live_shell(
            f"from wagtail.models import Page; p = Page.objects.get(pk={page_id}); "
            "print(p.live, p.current_workflow_task.name if p.current_workflow_task else '-')"
        )
        assert state.startswith("True" if step == "终审" else "False"), (step, state)

    assert live_shell(f"from wagtail.models import Page; print(Page.objects.get(pk={page_id}).live)") == "True"
    import urllib.request

    index = urllib.request.urlopen(live_site + "/news/").read().decode()
    assert title in index
    feed = urllib.request.urlopen(live_site + "/news/rss.xml").read().decode()
    assert title in feed


def _tab_until(page, predicate_js, limit=120):
    """Press Tab until the focused element satisfies predicate_js(el); fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element with {predicate_js}")


def _key_fill(page, name, text):
    _tab_until(page, f"el.name === {name!r}")
    page.keyboard.type(text)


def test_sme_journey_by_keyboard_alone(page, live_site):
    """Journey 3 with the keyboard only: fields reached by Tab, choices by arrow keys, Enter to send."""
    page.goto(live_site + "/services/testing/")
    _key_fill(page, "company_name", "示例键盘检测公司")
    _key_fill(page, "credit_code", _valid_credit_code())
    _tab_until(page, "el.name === 'region'")
    page.keyboard.press("ArrowDown")
    _key_fill(page, "industry", "电子元器件")
    _key_fill(page, "employees", "15")
    _key_fill(page, "contact_name", "赵工")
    _key_fill(page, "phone", "023-12345")  # bad: too short for a landline
    _tab_until(page, "el.name === 'consent'")
    page.keyboard.press("Space")
    page.wait_for_timeout(3200)
    page.keyboard.press("Enter")  # submits from the checkbox
    page.wait_for_load_state()
    # The error is announced on the field and the typed values are still there.
    phone = page.locator("[name=phone]")
    assert phone.get_attribute("aria-invalid") == "true"
    assert page.locator("[name=company_name]").input_value() == "示例键盘检测公司"
    assert page.locator("[name=contact_name]").input_value() == "赵工"


def test_search_and_map_journeys_by_keyboard_alone(page, live_site):
    """Journeys 2 and 6 with the keyboard only."""
    page.goto(live_site + "/")
    _tab_until(page, "el.id === 'site-search-q'")
    page.keyboard.type("小巨人")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    _tab_until(page, "el.dataset.type === 'policy'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*type=policy.*"))
    _tab_until(page, "el.closest('.search-finder') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/policies/\?q=.*"))
    _tab_until(page, "el.dataset.facet === 'issuer' && el.dataset.value === 'cq-economy-it-commission'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*issuer=cq-economy-it-commission.*"))
    _tab_until(page, "el.textContent.trim() === '重庆市专精特新“小巨人”企业服务行动方案'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cq-little-giant-service-action-plan/$"))

    page.goto(live_site + "/collaboration/")
    _tab_until(page, "el.name === 'kind'")
    page.keyboard.press("ArrowDown")  # the first kind after 全部
    page.wait_for_function(
        "() => { const kinds = [...document.querySelectorAll('#item-list .collab-item')].map(li => li.dataset.kind);"
        " return kinds.length > 0 && new Set(kinds).size === 1; }"
    )
