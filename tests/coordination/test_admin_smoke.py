"""Admin smoke test: as a superuser, every registered model's list, add page and a change page."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from charter.models import CharterVersion
from core.mail import deliver as send_email
from members.models import (
    CoordinatorScope,
    Extension,
    ReminderLog,
    Report,
)
from tests import factories
from tests.coordination.test_worker import database_tasks  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def every_kind_of_object(coordinator, database_tasks):  # noqa: F811
    """At least one row of every model registered in the admin."""
    place = factories.MemberPlaceFactory(name="Le Lieu Témoin")
    factories.MembershipFactory(place=place)  # its user gets an allauth EmailAddress
    factories.SignatureFactory(place=place)
    factories.InvitationFactory(place=place)
    campaign = factories.CampaignFactory()
    factories.ReportFactory(place=place, campaign=campaign, status=Report.Status.SUBMITTED)
    Extension.objects.create(place=place, campaign=campaign, reason="Un imprévu")
    CoordinatorScope.objects.create(user=factories.UserFactory(is_staff=True), regions=["53"])
    ReminderLog.objects.create(
        place=place, kind=ReminderLog.Kind.LATE, sent_on="2026-01-01", recipients="x@y.z"
    )
    factories.DraftVersionFactory()
    factories.external_survey(campaign)  # a survey, its fields
    send_email.enqueue(subject="Test", body="Test", to=["x@y.z"])  # a DBTaskResult row
    assert Group.objects.exists() and DBTaskResult.objects.exists()
    assert CharterVersion.objects.count() == 2


def _url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    "model,model_admin", MODEL_ADMINS, ids=[model._meta.label for model, _ in MODEL_ADMINS]
)
def test_admin_pages_answer(client, coordinator, every_kind_of_object, model, model_admin):
    client.force_login(coordinator)
    request = RequestFactory().get("/admin/")
    request.user = coordinator

    response = client.get(_url(model, "changelist"))
    assert response.status_code == 200

    if model_admin.has_add_permission(request):
        assert client.get(_url(model, "add")).status_code == 200

    objects = model_admin.get_queryset(request)
    assert objects.exists(), f"no {model._meta.label} to open"
    for obj in objects[:2]:  # e.g. a published and a draft charter version
        assert client.get(_url(model, "change", obj.pk)).status_code == 200, obj
