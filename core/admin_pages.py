"""A ModelAdmin's own pages (an import, a history, a download) beside its standard ones."""

from django.urls import path


def admin_pages(model_admin, *pages):
    """The URL patterns of ``model_admin``'s own pages, each given as (route, view, URL name),
    every view behind ``admin_site.admin_view`` (staff only, never cached).

    ``get_urls`` puts them before the standard patterns, whose ``<path:object_id>/`` would
    otherwise take their routes.
    """
    view = model_admin.admin_site.admin_view
    return [path(route, view(page), name=name) for route, page, name in pages]
