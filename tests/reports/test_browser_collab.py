"""Working together in Chromium: assignments, "mes engagements", a coordinator's request in a
thread, the answer and the resubmission, approval, and a peer place's comment; axe-core on
every new page, in French and in English."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from members.models import Indicator, Membership, Message, Report
from members.services import reports as report_services
from tests import factories
from tests.browser import login

from .conftest import answers_in_order, complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Role = Membership.Role


def new_page(browser, live_server, user, language="fr"):
    context = browser.new_context(
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",
    )
    login(context, live_server, user)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context.new_page()


def test_working_together_on_a_report(live_server, page, browser, axe, screenshot):
    place = factories.MemberPlaceFactory(name="Maison de quartier des Tilleuls")
    factories.SignatureFactory(place=place)
    campaign = factories.CampaignFactory(year=2026, name="Bilan 2026")
    campaign.indicators.set(Indicator.objects.all())
    editor = factories.MembershipFactory(
        place=place, role=Role.EDITOR, user__first_name="Camille", user__last_name="Roux"
    ).user
    representative = factories.MembershipFactory(place=place, role=Role.REPRESENTATIVE).user
    colleague = factories.MembershipFactory(
        place=place, role=Role.EDITOR, user__first_name="Sam", user__last_name="Lefèvre"
    ).user
    coordinator = factories.UserFactory(is_staff=True, is_superuser=True)
    report = report_services.create_report(place=place, campaign=campaign, by=editor)
    complete(report, editor)
    first, second = answers_in_order(report, 2)
    report.answers.filter(pk__in=[first.pk, second.pk]).update(level="", narrative="")
    base = f"{live_server.url}/espace/{place.slug}/bilans/2026/"
    due = (campaign.due_on - timedelta(days=7)).isoformat()

    # The editor gives two commitments to Sam, from the report page and the commitment page.
    login(page.context, live_server, editor)
    page.goto(base)
    expect(page.locator(".commitment-row").first).to_contain_text("Confié à personne")
    axe(page)
    screenshot("01-bilan-repartition")
    for answer in (first, second):
        page.goto(f"{base}engagements/{answer.commitment.key}/")
        page.get_by_label("Confier à").select_option(label="Sam Lefèvre")
        page.get_by_label("À faire avant le (facultatif)").fill(due)
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator(".assignee")).to_contain_text("Confié à Sam Lefèvre")
    axe(page)
    screenshot("02-engagement-confie")

    # Sam sees them in "mes engagements" and writes them.
    sam = new_page(browser, live_server, colleague)
    sam.goto(f"{live_server.url}/espace/")
    sam.get_by_role("link", name=re.compile("Mes engagements")).click()
    expect(sam.locator(".status-to_write")).to_have_count(2)
    axe(sam)
    screenshot("03-mes-engagements", of=sam)
    sam.get_by_role("link", name=first.commitment.t_title()).click()
    sam.get_by_role("link", name="Écrire ou modifier la réponse").click()
    for answer in (first, second):
        block = sam.locator(f"#engagement-{answer.commitment.key}")
        block.get_by_label("Bien établi", exact=True).check()
        block.get_by_label("Récit").fill(f"Sam raconte {answer.commitment.key}.")
    sam.get_by_role("button", name="Enregistrer cette partie").click()
    sam.goto(f"{live_server.url}/espace/mes-engagements/")
    expect(sam.locator(".status-written")).to_have_count(2)

    # The editor sends the report.
    page.goto(f"{base}apercu/")
    page.get_by_role("button", name="Envoyer le bilan à la coordination").click()
    expect(page.locator(".alert-success")).to_contain_text("envoyé")

    # The coordinator requests changes on one commitment, with a message.
    admin = new_page(browser, live_server, coordinator)
    admin.goto(f"{live_server.url}/admin/members/report/{report.pk}/relecture/")
    admin.locator(f"textarea[name=comment_{first.pk}]").fill("Combien de personnes ?")
    admin.get_by_label("Demander des modifications").check()
    admin.get_by_label("Message au lieu").fill("Un point à préciser.")
    admin.get_by_role("button", name="Enregistrer la décision").click()
    expect(admin.locator(".messagelist")).to_contain_text("Modifications demandées")

    # The editor sees an unread message, answers in the thread, fixes and resubmits.
    page.goto(f"{live_server.url}/espace/")
    expect(page.locator(".unread")).to_contain_text("1 message non lu")
    axe(page)
    page.goto(f"{base}engagements/{first.commitment.key}/")
    expect(page.locator(".thread-coordination")).to_contain_text("Combien de personnes ?")
    expect(page.locator(".thread-new")).to_have_count(1)
    page.get_by_label("Votre message").fill("Environ **35 personnes** chaque samedi.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator(".thread-place .thread-body strong")).to_have_text("35 personnes")
    axe(page)
    screenshot("04-conversation")
    page.goto(f"{base}apercu/")
    page.get_by_label("Message à la coordination (facultatif)").fill("C’est précisé.")
    page.get_by_role("button", name="Envoyer le bilan à la coordination").click()
    expect(page.locator(".alert-success")).to_contain_text("envoyé")

    # The coordinator reads the answer in the same thread and approves.
    admin.goto(f"{live_server.url}/admin/members/report/{report.pk}/relecture/")
    expect(admin.locator(f"#engagement-{first.commitment.key}")).to_contain_text("35 personnes")
    screenshot("05-relecture-conversation", of=admin)
    admin.get_by_label("Valider le bilan").check()
    admin.get_by_role("button", name="Enregistrer la décision").click()
    expect(admin.locator(".messagelist")).to_contain_text("Validé")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED

    # A peer place is invited, accepts, and comments.
    peer = factories.MemberPlaceFactory(name="Tiers-lieu des Glycines", slug="glycines")
    peer_rep = factories.MembershipFactory(place=peer, role=Role.REPRESENTATIVE).user
    peer_editor = factories.MembershipFactory(place=peer, role=Role.EDITOR).user
    rep = new_page(browser, live_server, representative)
    rep.goto(f"{live_server.url}/espace/{place.slug}/regards-pairs/?pair=glycines")
    rep.get_by_role("button", name="Envoyer l’invitation").click()
    expect(rep.locator(".peer-sent")).to_contain_text("Tiers-lieu des Glycines")
    axe(rep)
    screenshot("06-regards-pairs", of=rep)
    other = new_page(browser, live_server, peer_rep)
    other.goto(f"{live_server.url}/espace/glycines/regards-pairs/")
    other.get_by_role("button", name=re.compile("Accepter")).click()
    expect(other.locator(".alert-success")).to_contain_text("Invitation acceptée")
    axe(other)
    reader = new_page(browser, live_server, peer_editor)
    reader.goto(f"{live_server.url}/espace/glycines/regards-pairs/")
    reader.get_by_role("link", name=re.compile("Maison de quartier des Tilleuls")).click()
    axe(reader)
    screenshot("07-bilan-du-pair", of=reader)
    reader.get_by_role("link", name=second.commitment.t_title()).click()
    reader.get_by_label("Votre message").fill("Chez nous, un tableau partagé aide beaucoup.")
    reader.get_by_role("button", name="Envoyer le message").click()
    expect(reader.locator(".thread-peer")).to_contain_text("tableau partagé")
    axe(reader)
    screenshot("08-commentaire-du-pair", of=reader)
    assert Message.objects.filter(side=Message.Side.PEER, peer_place=peer).count() == 1
    page.goto(f"{base}engagements/{second.commitment.key}/")
    expect(page.locator(".thread-peer")).to_contain_text("Tiers-lieu des Glycines")

    page.goto(f"{live_server.url}/espace/compte/notifications/")
    axe(page)
    screenshot("09-notifications")

    # Every new page in English too.
    pages = {
        editor: [
            "/espace/",
            f"/espace/{place.slug}/bilans/2026/",
            f"/espace/{place.slug}/bilans/2026/engagements/{first.commitment.key}/",
            "/espace/compte/notifications/",
            f"/espace/{place.slug}/regards-pairs/",
        ],
        colleague: ["/espace/mes-engagements/"],
        peer_editor: ["/espace/glycines/regards-pairs/"],
    }
    invitation = peer.peer_invitations_received.get()
    pages[peer_editor] += [
        f"/espace/glycines/regards-pairs/{invitation.pk}/",
        f"/espace/glycines/regards-pairs/{invitation.pk}/engagements/{second.commitment.key}/",
    ]
    for user, paths in pages.items():
        english = new_page(browser, live_server, user, language="en")
        for path in paths:
            english.goto(live_server.url + path)
            expect(english.locator("html")).to_have_attribute("lang", "en")
            axe(english)
        screenshot(f"10-english-{user.pk}", of=english)
