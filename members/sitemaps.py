"""sitemap.xml: the public pages and every listed place's page."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from members.models import Place


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "charter:current",
            "members:directory",
            "members:observatory",
            "members:opendata",
        ]

    def location(self, item):
        return reverse(item)


class PlaceSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Place.objects.listed().only("slug").order_by("pk")

    def location(self, place):
        return reverse("members:public_place", args=[place.slug])


SITEMAPS = {"pages": StaticPagesSitemap, "places": PlaceSitemap}
