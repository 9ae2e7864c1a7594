from django.urls import path

from lcp_network.urls import urlpatterns as site_urlpatterns
from tests.coordination.admin_site import site

urlpatterns = [path("scoped-admin/", site.urls), *site_urlpatterns]
