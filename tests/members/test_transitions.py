"""Coordinators' decisions on places: services, admin actions, history rows and e-mails."""

import pytest
from django.core import mail
from django.urls import reverse

from members import services
from members.models import Membership, Place, PlaceTransition, Signature
from members.services import places as place_services
from tests import factories

pytestmark = pytest.mark.django_db

Status = Place.Status


@pytest.fixture
def applicant(db):
    place = factories.PlaceFactory(name="Le Tiers-Lieu")
    factories.MembershipFactory(
        place=place, role=Membership.Role.REPRESENTATIVE, user__email="rep@example.org"
    )
    factories.MembershipFactory(place=place, role=Membership.Role.VIEWER)
    return place


CASES = [
    # service, start status, end status, reason, e-mail subject fragment
    (place_services.approve_place, Status.APPLICANT, Status.MEMBER, None, "est membre du réseau"),
    (
        place_services.reject_place,
        Status.APPLICANT,
        Status.REJECTED,
        "Hors champ",
        "Votre inscription",
    ),
    (place_services.suspend_place, Status.MEMBER, Status.SUSPENDED, "Pas de bilan", "est suspendu"),
    (place_services.reinstate_place, Status.SUSPENDED, Status.MEMBER, None, "de nouveau membre"),
    (place_services.reinstate_place, Status.WITHDRAWN, Status.MEMBER, None, "de nouveau membre"),
    (place_services.withdraw_place, Status.MEMBER, Status.WITHDRAWN, None, "a quitté le réseau"),
    (place_services.withdraw_place, Status.APPLICANT, Status.WITHDRAWN, None, "a quitté le réseau"),
]


@pytest.mark.parametrize(("service", "start", "end", "reason", "subject"), CASES)
def test_transition_records_history_and_emails_representatives(
    applicant,
    coordinator,
    service,
    start,
    end,
    reason,
    subject,
    django_capture_on_commit_callbacks,
):
    Place.objects.filter(pk=applicant.pk).update(status=start)
    applicant.refresh_from_db()
    kwargs = {"reason": reason} if reason else {}
    with django_capture_on_commit_callbacks(execute=True):
        service(place=applicant, by=coordinator, **kwargs)
    applicant.refresh_from_db()
    assert applicant.status == end
    row = PlaceTransition.objects.get(place=applicant)
    assert (row.from_status, row.to_status, row.by) == (start, end, coordinator)
    assert row.reason == (reason or "")
    assert [m.to for m in mail.outbox] == [["rep@example.org"]]  # representatives only
    assert subject in mail.outbox[0].subject
    if reason:
        assert reason in mail.outbox[0].body


def test_approval_sets_membership_date(applicant, coordinator):
    place_services.approve_place(place=applicant, by=coordinator)
    applicant.refresh_from_db()
    assert applicant.approved_at is not None


@pytest.mark.parametrize(
    ("service", "start"),
    [
        (place_services.approve_place, Status.MEMBER),
        (place_services.approve_place, Status.REJECTED),
        (place_services.suspend_place, Status.APPLICANT),
        (place_services.reinstate_place, Status.MEMBER),
        (place_services.withdraw_place, Status.WITHDRAWN),
    ],
)
def test_transition_from_wrong_status_changes_nothing(applicant, coordinator, service, start):
    Place.objects.filter(pk=applicant.pk).update(status=start)
    applicant.refresh_from_db()
    kwargs = {"reason": "x"} if service is place_services.suspend_place else {}
    with pytest.raises(services.TransitionError) as exc:
        service(place=applicant, by=coordinator, **kwargs)
    assert "Le Tiers-Lieu" in str(exc.value)
    applicant.refresh_from_db()
    assert applicant.status == start
    assert not PlaceTransition.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("service", [place_services.reject_place, place_services.suspend_place])
def test_reason_is_required(applicant, coordinator, service):
    Place.objects.filter(pk=applicant.pk).update(
        status=Status.MEMBER if service is place_services.suspend_place else Status.APPLICANT
    )
    applicant.refresh_from_db()
    with pytest.raises(services.TransitionError):
        service(place=applicant, by=coordinator, reason="  ")
    assert not PlaceTransition.objects.exists()


def test_emails_are_in_the_representatives_language(
    applicant, coordinator, django_capture_on_commit_callbacks
):
    rep = applicant.memberships.get(role=Membership.Role.REPRESENTATIVE).user
    rep.language = "en"
    rep.save()
    with django_capture_on_commit_callbacks(execute=True):
        place_services.approve_place(place=applicant, by=coordinator)
    # The English catalogue is filled at merge time; the e-mail is at least rendered in "en".
    assert mail.outbox and "Le Tiers-Lieu" in mail.outbox[0].subject


# --- Admin -----------------------------------------------------------------------------------

CHANGELIST = reverse("admin:members_place_changelist")


def test_admin_changelist_filters_and_search(client, coordinator, applicant):
    factories.PlaceFactory(
        name="Ailleurs", commune="Ajaccio", postcode="20000", departement="2A", region="94"
    )
    client.force_login(coordinator)
    response = client.get(CHANGELIST, {"region": "94"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("name", flat=True)) == ["Ailleurs"]
    response = client.get(CHANGELIST, {"q": applicant.rna})
    assert list(response.context["cl"].queryset) == [applicant]
    response = client.get(CHANGELIST, {"status__exact": Status.APPLICANT, "departement": "35"})
    assert list(response.context["cl"].queryset) == [applicant]


def test_admin_approve_action(client, coordinator, applicant, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    member = factories.MemberPlaceFactory(name="Déjà membre")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [applicant.pk, member.pk]},
            follow=True,
        )
    applicant.refresh_from_db()
    assert applicant.status == Status.MEMBER
    texts = [str(m) for m in response.context["messages"]]
    assert "1 lieu(x) validé(s)." in texts
    assert any(t.startswith("Déjà membre :") for t in texts)  # per-place error
    assert len(mail.outbox) == 1


def test_admin_reject_asks_for_a_reason(
    client, coordinator, applicant, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    data = {"action": "reject", "_selected_action": [applicant.pk]}
    response = client.post(CHANGELIST, data)
    assert response.status_code == 200
    assert "admin/members/place/action_reason.html" in [t.name for t in response.templates]
    response = client.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert response.status_code == 200  # the form again, with its error
    applicant.refresh_from_db()
    assert applicant.status == Status.APPLICANT
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {**data, "apply": "1", "reason": "Hors du champ"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == Status.REJECTED
    assert PlaceTransition.objects.get(place=applicant).reason == "Hors du champ"
    assert "Hors du champ" in mail.outbox[0].body


def test_admin_suspend_reinstate_withdraw(client, coordinator, place, representative):
    client.force_login(coordinator)
    base = {"_selected_action": [place.pk]}
    client.post(CHANGELIST, {**base, "action": "suspend", "apply": "1", "reason": "Silence"})
    place.refresh_from_db()
    assert place.status == Status.SUSPENDED
    client.post(CHANGELIST, {**base, "action": "reinstate"})
    place.refresh_from_db()
    assert place.status == Status.MEMBER
    client.post(CHANGELIST, {**base, "action": "withdraw"})
    place.refresh_from_db()
    assert place.status == Status.WITHDRAWN
    assert place.transitions.count() == 3


def test_admin_change_page_shows_team_signatures_and_history(
    client, coordinator, place, representative
):
    signature = factories.SignatureFactory(place=place)
    place_services.suspend_place(place=place, by=coordinator, reason="Motif visible")
    client.force_login(coordinator)
    response = client.get(reverse("admin:members_place_change", args=[place.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert representative.email in html
    assert signature.verification_code in html
    assert "Motif visible" in html


def test_admin_signatures_are_read_only(client, coordinator):
    signature = factories.SignatureFactory()
    client.force_login(coordinator)
    assert client.get(reverse("admin:members_signature_changelist")).status_code == 200
    assert client.get(reverse("admin:members_signature_add")).status_code == 403
    assert (
        client.get(reverse("admin:members_signature_delete", args=[signature.pk])).status_code
        == 403
    )
    response = client.post(
        reverse("admin:members_signature_change", args=[signature.pk]),
        {"signatory_title": "Trésorière"},
    )
    assert response.status_code == 403
    assert Signature.objects.get().signatory_title == "Présidente"


@pytest.mark.parametrize(
    "name",
    [
        "members_activity",
        "members_publicserved",
        "members_invitation",
        "members_place",
        "members_signature",
    ],
)
def test_admin_smoke(client, coordinator, name):
    factories.InvitationFactory()
    client.force_login(coordinator)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
