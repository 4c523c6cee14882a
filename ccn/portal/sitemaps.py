"""The sitemap of the portal (/portal/sitemap.xml): the search page and every public cluster profile."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import sitemap_clusters


class PortalPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["portal:search"]

    def location(self, item):
        return reverse(item)


class ClusterProfileSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self):
        return sitemap_clusters()

    def location(self, item):
        return reverse("portal:profile", args=[item.code])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": PortalPagesSitemap, "clusters": ClusterProfileSitemap}
