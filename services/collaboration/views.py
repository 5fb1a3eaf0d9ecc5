"""Views behind the routes of CollaborationMapPage, ExpertIndexPage and ExpertPage.

The page models keep only thin route methods; the work is here so the models stay
short and these functions can be tested on their own.
"""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cms import cache as page_cache
from cms.queries import children, public
from services import ratelimit
from services.collaboration import geo
from services.collaboration.forms import CollaborationFilterForm, ExpertFilterForm, ExpertQuestionForm
from services.models import CollaborationItemPage, ExpertIndexPage

# Marker colours by kind; the legend, the list badges and the map script share them.
KIND_COLOURS = {"project": "#0a4fa8", "result": "#b3161e", "base": "#1e7b34"}
CHONGQING_CENTRE = [29.56, 106.55]  # [lat, lng] of 渝中区, the default view
# Upper bound on staleness for changes the cache key cannot see (a renamed field or region).
POINTS_CACHE_SECONDS = 300


# ---------------------------------------------------------------------------
# Collaboration map


def _map_listing(page, request):
    form = CollaborationFilterForm(request.GET, page=page)
    items = form.filter(page.items())
    paginator = Paginator(items, page.items_per_page or 10)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = form.active_query()
    return {
        "filter_form": form,
        "items": page_obj,
        "paginator": paginator,
        "filter_query": query,
        "kinds": [(value, label, KIND_COLOURS[value]) for value, label in CollaborationItemPage.Kind.choices],
        "geojson_url": page.geojson_url + (f"?{query}" if query else ""),
    }


def map_page(page, request):
    context = _map_listing(page, request)
    tiles = geo.tile_config()
    context["expert_index"] = public(ExpertIndexPage.objects.live()).first()
    context["map_config"] = {
        "geojson": context["geojson_url"],
        "listUrl": page.url + page.reverse_subpage("list"),
        "pageUrl": page.url,
        "geojsonBase": page.geojson_url,
        "centre": CHONGQING_CENTRE,
        "zoom": 7,
        "colours": KIND_COLOURS,
        "tiles": {
            "url": tiles["url"],
            "labelsUrl": tiles["labels_url"],
            "attribution": tiles["attribution"],
            "maxZoom": tiles["max_zoom"],
            "subdomains": tiles["subdomains"],
            "crs": tiles["crs"],
        },
        "text": {"more": _("查看详情"), "sample": _("示例位置"), "failed": _("地图数据加载失败，请使用下方列表。")},
    }
    return page.render(request, context_overrides=context)


def map_list_fragment(page, request):
    """The list alone, so the script can swap it in after a filter change."""
    context = {"page": page, "request": request, **_map_listing(page, request)}
    response = TemplateResponse(request, "services/collaboration/includes/item_list.html", context)
    response["X-Robots-Tag"] = "noindex"  # a fragment; the full page is what search engines should show
    return response


def _points_cache_key(page, request, query, crs):
    """Changes whenever an item is published, unpublished, added, moved away or deleted."""
    stamp = children(CollaborationItemPage.objects, page).aggregate(
        live=Count("pk", filter=Q(live=True)),
        published=Max("last_published_at"),
        revised=Max("latest_revision_created_at"),
    )
    raw = f"{request.get_host()}|{page.pk}|{query}|{crs}|{stamp['live']}|{stamp['published']}|{stamp['revised']}"
    return "collaboration-points:" + hashlib.sha256(raw.encode()).hexdigest()


def _points_body(items, request, crs):
    kind_labels = {value: str(label) for value, label in CollaborationItemPage.Kind.choices}
    features = []
    for item in items:
        point = item.point
        if point is None:  # a row edited outside the validated form; never break the whole map for it
            continue
        properties = {
            "title": item.title,
            "kind": item.kind,
            "kind_label": kind_labels.get(item.kind, item.kind),
            "field": item.field.name,
            "region": item.region.name,
            "place": item.place_name,
            "summary": item.summary,
            "year": item.year,
            "url": item.get_url(request),
            "sample_location": item.location_is_sample,
        }
        if crs != "wgs84":
            # The geometry stays WGS-84 as RFC 7946 requires; this is where to draw it on these tiles.
            properties["map_latlng"] = geo.display_latlng(point, crs)
        features.append(geo.point_feature(item.pk, point, properties))
    return json.dumps(geo.feature_collection(features), ensure_ascii=False, separators=(",", ":"))


def map_points(page, request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    form = CollaborationFilterForm(request.GET, page=page)
    items = form.filter(page.items())
    if form.errors:
        return JsonResponse(
            {"errors": form.errors.get_json_data()}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    crs = geo.tile_config()["crs"]
    key = _points_cache_key(page, request, form.active_query(), crs)
    body = cache.get(key)
    if body is None:
        body = _points_body(items, request, crs)
        cache.set(key, body, POINTS_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8")


# ---------------------------------------------------------------------------
# Expert board


def expert_directory_context(index, request):
    form = ExpertFilterForm(request.GET)
    experts = form.filter(index.experts())
    paginator = Paginator(experts, index.experts_per_page or 12)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter_form": form, "experts": page_obj, "paginator": paginator, "filter_query": query.urlencode()}


def _profile_context(expert, request, form=None):
    questions = Paginator(expert.public_questions(), 10).get_page(request.GET.get("qpage"))
    if form is None:
        form = ExpertQuestionForm()
        form.initial["started"] = page_cache.slot(request, "started")
    return {
        "question_form": form,
        "questions": questions,
        "ask_url": expert.url + expert.reverse_subpage("ask"),
        "consult_url": expert.url + expert.reverse_subpage("consult"),
    }


def expert_profile(expert, request):
    return expert.render(request, context_overrides=_profile_context(expert, request))


def expert_ask(expert, request):
    if request.method == "GET":
        return HttpResponseRedirect(expert.url + "#ask")
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if not expert.accepts_questions:
        messages.error(request, _("这位专家暂不接受留言。"))
        return HttpResponseRedirect(expert.url)
    form = ExpertQuestionForm(request.POST)
    limit = tuple(settings.COLLABORATION_FORMS.get("question_rate", (5, 3600)))
    ip = ratelimit.client_ip(request) or "unknown"
    status = 200
    if ratelimit.is_limited("expert-question", ip, limit):
        form.add_error(None, _("您提交留言过于频繁，请稍后再试（每小时最多 %(limit)d 条）。") % {"limit": limit[0]})
        status = 429
    elif form.is_valid():
        with transaction.atomic():
            question = form.save(commit=False)
            question.expert = expert
            question.save()
        ratelimit.hit("expert-question", ip, limit)
        messages.success(request, _("留言已提交，审核并经专家答复后将在本页公开。"))
        return HttpResponseRedirect(expert.url + "#ask")
    else:
        status = 400
    response = expert.render(request, context_overrides=_profile_context(expert, request, form))
    response.status_code = status
    return response


def expert_consult(expert, request):
    """在线咨询: reserved URL. The SME service-request pipeline plugs in through a setting.

    ``EXPERT_CONSULTATION_VIEW`` is the dotted path of a view called as
    ``view(request, expert=expert_page)``; it must create the request (reference number,
    status history, tracking) in the shared pipeline. Until it is set, the page explains
    that the service is not open yet and points to the public 留言.
    """
    dotted = getattr(settings, "EXPERT_CONSULTATION_VIEW", "")
    if dotted:
        return import_string(dotted)(request, expert=expert)
    context = {"page": expert, "self": expert, "ask_url": expert.url + "#ask"}
    return TemplateResponse(request, "services/collaboration/expert_consult_pending.html", context)
