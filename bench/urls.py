"""The portal's URLs plus /bench/trivial: a view with no database work, the baseline."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial),
    path("", include("lcp_network.urls")),
]
