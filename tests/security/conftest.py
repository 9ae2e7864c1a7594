"""Two places, A (the attacker's or the victim's) and B (someone else's), with everything an
/espace/ URL can point at: memberships, an invitation, a signature with its board minutes,
reports with evidence (private files, under their own root)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from members.models import (
    Answer,
    Evidence,
    Indicator,
    Membership,
    Message,
    PeerInvitation,
    Report,
)
from members.services import reports as report_services
from tests import factories
from tests.reports.conftest import first_answer

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
    answer = first_answer(report)
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
    # Place C's report, which A and B each read as a peer (accepted, running): one answer
    # with a message and its attachment is all it needs.
    c = factories.MemberPlaceFactory(slug="lieu-pair-c", name="Lieu pair C")
    team_c = _team(c)
    report_c = Report.objects.create(place=c, campaign=campaign_a, version=report_a.version)
    answer_c = Answer.objects.create(
        report=report_c, commitment=report_a.answers.first().commitment, level="3"
    )
    message_c = Message(
        answer=answer_c, author=team_c.editor.user, side=Message.Side.PLACE, body="Notre PV"
    )
    message_c.file.save("pv-c.pdf", ContentFile(PDF), save=True)
    now = timezone.now()
    peer_a, peer_b = (
        PeerInvitation.objects.create(
            report=report_c,
            peer=peer,
            invited_by=team_c.representative.user,
            accepted_by=team.representative.user,
            accepted_at=now,
            expires_at=now + timedelta(days=30),
        )
        for peer, team in ((a, team_a), (b, team_b))
    )
    return SimpleNamespace(
        c=c,
        team_c=team_c,
        report_c=report_c,
        message_c=message_c,
        peer_a=peer_a,
        peer_b=peer_b,
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
