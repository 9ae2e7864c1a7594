"""Two places, A (the attacker's or the victim's) and B (someone else's), with everything an
/espace/ URL can point at: memberships, an invitation, a signature with its board minutes,
reports with evidence (private files, under their own root)."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from members.models import Evidence, Indicator, Membership, Message
from members.services import reports as report_services
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _team(place):
    return SimpleNamespace(
        representative=factories.MembershipFactory(
            place=place, role=Membership.Role.REPRESENTATIVE
        ),
        editor=factories.MembershipFactory(place=place, role=Membership.Role.EDITOR),
        viewer=factories.MembershipFactory(place=place, role=Membership.Role.VIEWER),
    )


def _report(place, campaign, by):
    report = report_services.create_report(place=place, campaign=campaign, by=by)
    answer = report.answers.order_by(
        "commitment__section__position", "commitment__position"
    ).first()
    evidence = Evidence(answer=answer, label="Compte rendu")
    evidence.file.save("compte-rendu.pdf", ContentFile(PDF), save=True)
    message = Message(answer=answer, author=by, side=Message.Side.PLACE, body="Voir le PV")
    message.file.save("pv.pdf", ContentFile(PDF), save=True)
    return report, evidence, message


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    campaign_a = factories.CampaignFactory(year=2026)
    campaign_b = factories.CampaignFactory(year=2025)
    for campaign in (campaign_a, campaign_b):
        campaign.indicators.set(Indicator.objects.all())
    a = factories.MemberPlaceFactory(slug="lieu-a", name="Lieu A")
    b = factories.MemberPlaceFactory(slug="lieu-b", name="Lieu B")
    team_a, team_b = _team(a), _team(b)
    signature_a = factories.SignatureFactory(
        place=a, signed_by=team_a.representative.user, minutes=ContentFile(PDF, "pv-a.pdf")
    )
    signature_b = factories.SignatureFactory(
        place=b, signed_by=team_b.representative.user, minutes=ContentFile(PDF, "pv-b.pdf")
    )
    report_a, evidence_a, message_a = _report(a, campaign_a, team_a.editor.user)
    report_b, evidence_b, message_b = _report(b, campaign_b, team_b.editor.user)
    return SimpleNamespace(
        a=a,
        b=b,
        team_a=team_a,
        team_b=team_b,
        invitation_a=factories.InvitationFactory(place=a),
        invitation_b=factories.InvitationFactory(place=b),
        signature_a=signature_a,
        signature_b=signature_b,
        report_a=report_a,
        report_b=report_b,
        evidence_a=evidence_a,
        evidence_b=evidence_b,
        message_a=message_a,
        message_b=message_b,
        outsider=factories.MembershipFactory(place=factories.MemberPlaceFactory()).user,
    )
