"""Errors as problem details (RFC 9457): ``type``, ``title``, ``status``, ``detail``.

Served as ``application/problem+json``. ``type`` is ``about:blank`` (the HTTP status says it
all), ``title`` the status's phrase; a bad filter adds ``errors``: {parameter: [messages]}.
"""

from http import HTTPStatus

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

CONTENT_TYPE = "application/problem+json"


def problem(status, detail, **extra):
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        **extra,
    }


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Cette ressource n’existe pas ou n’est pas publique."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 handler
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = _("Un ou plusieurs paramètres sont invalides.")
        extra["errors"] = {
            name: [str(message) for message in messages] for name, messages in exc.detail.items()
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    return Response(
        problem(response.status_code, detail, **extra),
        status=response.status_code,
        headers={name: value for name, value in response.headers.items() if name == "Retry-After"},
        content_type=CONTENT_TYPE,
    )


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a problem document, not the site's HTML page."""
    response = JsonResponse(
        problem(404, _("Cette adresse n’existe pas dans l’API.")),
        status=404,
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
