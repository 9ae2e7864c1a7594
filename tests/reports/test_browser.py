"""The whole journey in Chromium: draft, reload, submit, changes requested, resubmit, approve."""

import re

import pytest
from playwright.sync_api import expect

from members.models import Indicator, Membership, Report
from tests import factories
from tests.browser import answer_whole_section, login

from .conftest import first_answer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_report_journey(live_server, page, browser, axe, screenshot):
    place = factories.MemberPlaceFactory(name="Maison de quartier des Tilleuls")
    factories.SignatureFactory(place=place)
    campaign = factories.CampaignFactory(year=2026, name="Bilan 2026")
    campaign.indicators.set(Indicator.objects.all())
    editor = factories.MembershipFactory(place=place, role=Membership.Role.EDITOR).user
    coordinator = factories.UserFactory(is_staff=True, is_superuser=True)
    base = f"{live_server.url}/espace/{place.slug}/bilans/"

    # The campaigns of the place.
    login(page.context, live_server, editor)
    page.goto(base)
    expect(page.locator("h1")).to_contain_text("Bilans de Maison de quartier des Tilleuls")
    axe(page)
    screenshot("01-campagnes")
    page.get_by_role("button", name=re.compile("Commencer le bilan")).click()

    # Section 1: write a draft, preview the narrative, save.
    expect(page.locator("h1")).to_contain_text("Des valeurs communes")
    first = page.locator("section.report-commitment").first
    first.get_by_label("En progression", exact=True).check()
    first.get_by_label("Récit").fill("Nous accueillons **tout le monde**, sans condition.")
    first.get_by_label("Actions concrètes").fill("Permanence du samedi matin")
    first.get_by_role("button", name="Aperçu du récit").click()
    expect(first.locator(".markdown-preview strong")).to_have_text("tout le monde")
    axe(page)
    screenshot("02-partie-1-brouillon")
    page.get_by_role("button", name="Enregistrer cette partie").click()
    expect(page.locator(".alert-success")).to_contain_text("est enregistrée")

    # Reload: the draft is intact.
    page.reload()
    first = page.locator("section.report-commitment").first
    expect(first.get_by_label("Récit")).to_have_value(
        "Nous accueillons **tout le monde**, sans condition."
    )
    expect(first.get_by_label("En progression", exact=True)).to_be_checked()
    expect(page.get_by_text("1 / 18 engagements renseignés")).to_be_visible()

    # Answer every commitment, section after section.
    for _ in range(3):
        answer_whole_section(page)
        page.get_by_role("button", name=re.compile("^Enregistrer et passer")).click()
    expect(page.locator("h1")).to_contain_text("Indicateurs")
    page.get_by_label("Bénévoles (personnes)").fill("25")
    page.get_by_label("Salariés (personnes)").fill("4")
    page.get_by_label("Équivalents temps plein (ETP)").fill("3,2")
    page.get_by_label("Personnes touchées (personnes)").fill("1200")
    page.get_by_label("Budget annuel total (€)").fill("180000")
    page.get_by_label("dont vente de services (€)").fill("40000")
    page.get_by_label("dont financements publics (€)").fill("100000")
    page.get_by_label("dont autres produits (€)").fill("30000")
    page.get_by_role("button", name="Enregistrer les indicateurs").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    expect(page.get_by_label("dont autres produits (€)")).to_have_value("30000")  # kept
    axe(page)
    screenshot("03-indicateurs-erreur")
    page.get_by_label("dont autres produits (€)").fill("40000")
    page.get_by_role("button", name="Enregistrer et voir l’aperçu").click()

    # Preview, then submit.
    expect(page.get_by_text("18 / 18 engagements renseignés")).to_be_visible()
    axe(page)
    screenshot("04-apercu")
    page.get_by_role("button", name="Envoyer le bilan à la coordination").click()
    expect(page.locator(".alert-success")).to_contain_text("envoyé")
    axe(page)
    screenshot("05-envoye")

    # The coordinator requests changes in the admin.
    report = Report.objects.get(place=place, campaign=campaign)
    answer = first_answer(report)
    admin = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}).new_page()
    login(admin.context, live_server, coordinator)
    admin.goto(f"{live_server.url}/admin/members/report/{report.pk}/relecture/")
    expect(admin.locator("#content-main")).to_contain_text("tout le monde")
    admin.locator(f"textarea[name=comment_{answer.pk}]").fill("Combien de personnes le samedi ?")
    admin.get_by_label("Demander des modifications").check()
    admin.get_by_label("Message au lieu").fill("Merci de chiffrer la permanence.")
    screenshot("06-relecture-admin", of=admin)
    admin.get_by_role("button", name="Enregistrer la décision").click()
    expect(admin.locator(".messagelist")).to_contain_text("Modifications demandées")

    # The place sees the comment next to the answer, edits and resubmits.
    page.goto(f"{base}2026/")
    expect(page.locator(".alert-warning")).to_contain_text("Merci de chiffrer la permanence.")
    axe(page)
    screenshot("07-modifications-demandees")
    page.goto(f"{base}2026/parties/1/")
    first = page.locator("section.report-commitment").first
    expect(first.locator(".reviewer-comment")).to_contain_text("Combien de personnes le samedi ?")
    first.get_by_label("Actions concrètes").fill("Permanence du samedi matin : 35 personnes")
    axe(page)
    screenshot("08-commentaire-a-cote")
    page.get_by_role("button", name="Enregistrer cette partie").click()
    page.goto(f"{base}2026/apercu/")
    page.get_by_label("Message à la coordination (facultatif)").fill("C’est chiffré.")
    page.get_by_role("button", name="Envoyer le bilan à la coordination").click()
    expect(page.locator(".alert-success")).to_contain_text("envoyé")

    # The coordinator approves.
    admin.goto(f"{live_server.url}/admin/members/report/{report.pk}/relecture/")
    expect(admin.locator("#content-main")).to_contain_text("35 personnes")
    admin.get_by_label("Valider le bilan").check()
    admin.get_by_role("button", name="Enregistrer la décision").click()
    expect(admin.locator(".messagelist")).to_contain_text("Validé")

    page.goto(f"{base}2026/")
    expect(page.locator(".alert-success")).to_contain_text("validé")
    expect(page.locator(".report-history li")).to_have_count(5)
    axe(page)
    screenshot("09-valide")
    page.goto(f"{base}2026/imprimer/")
    axe(page)
    screenshot("10-imprimable")
    page.goto(base)
    axe(page)
    screenshot("11-campagnes-apres")
