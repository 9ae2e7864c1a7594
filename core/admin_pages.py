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


def admin_page_context(model_admin, request, **extra):
    """What every page of ``model_admin`` gives its template: the site's context (title, user,
    navigation) and the model's ``opts`` (breadcrumbs), then ``extra``."""
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        **extra,
    }
