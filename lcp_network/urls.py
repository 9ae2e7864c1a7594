from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from core import views as site
from members.sitemaps import SITEMAPS
from members.views import directory

urlpatterns = [
    path("", directory.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", site.robots_txt, name="robots_txt"),
    path("mentions-legales/", TemplateView.as_view(template_name="legal.html"), name="legal"),
    path("confidentialite/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path("langue/<str:code>/", site.switch_language, name="switch_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("charte/", include("charter.urls")),
    path("accounts/", include("allauth.urls")),
    # Coordinators' CSV exports (members/admin/exports.py), before the admin's catch-all.
    path("admin/exports/", include("members.admin.exports")),
    path("admin/", admin.site.urls),
    # The read-only JSON API (members/api/).
    path("api/v1/", include("members.api.urls")),
    path("", include("members.urls")),
]

# The database does not answer: 503 with the site's page instead of 500 (core/outage.py).
handler500 = "core.outage.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
