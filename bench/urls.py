"""The baseline: a bare Django view returning BENCH_BASELINE_BYTES of HTML, no database."""

import os

from django.http import HttpResponse
from django.urls import path

SIZE = int(os.environ.get("BENCH_BASELINE_BYTES", "30000"))
BODY = ("<!DOCTYPE html><html lang='zh-Hans'><body>" + "重庆" * (SIZE // 6)).encode()[:SIZE]


def baseline(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("baseline/", baseline)]
