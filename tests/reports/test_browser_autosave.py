"""Writing without fear, in Chromium: autosave, two editors at once, and a real conflict."""

import pytest
from playwright.sync_api import expect

from members.models import Answer, Indicator, Membership
from members.services import reports as report_services
from tests import factories
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(db):
    place = factories.MemberPlaceFactory(name="Centre social des Lilas")
    factories.SignatureFactory(place=place)
    campaign = factories.CampaignFactory(year=2026)
    campaign.indicators.set(Indicator.objects.all())
    alex = factories.MembershipFactory(place=place, role=Membership.Role.EDITOR).user
    sam = factories.MembershipFactory(place=place, role=Membership.Role.EDITOR).user
    report = report_services.create_report(place=place, campaign=campaign, by=alex)
    return place, report, alex, sam


def _section_url(live_server, place):
    return f"{live_server.url}/espace/{place.slug}/bilans/2026/parties/1/"


def test_typing_is_saved_without_clicking(live_server, page, axe, screenshot, draft):
    place, report, alex, _sam = draft
    login(page.context, live_server, alex)
    page.goto(_section_url(live_server, place))
    first = page.locator("section.report-commitment").first
    first.get_by_label("Récit").fill("Écrit sans cliquer sur Enregistrer.")
    expect(page.locator(".autosave-status")).to_contain_text("Modifications non enregistrées")
    expect(page.locator(".autosave-status")).to_contain_text("Enregistré à", timeout=8000)
    axe(page)
    screenshot("autosave-enregistre")
    page.reload()
    expect(page.locator("section.report-commitment").first.get_by_label("Récit")).to_have_value(
        "Écrit sans cliquer sur Enregistrer."
    )


def test_two_editors_on_two_commitments_and_then_on_the_same_one(
    live_server, browser, axe, screenshot, draft
):
    place, report, alex, sam = draft
    pages = []
    for user in (alex, sam):
        context = browser.new_context(locale="fr-FR", reduced_motion="reduce")
        page = context.new_page()
        login(context, live_server, user)
        page.goto(_section_url(live_server, place))
        pages.append(page)
    alex_page, sam_page = pages

    # Two different commitments at once: both saved, no conflict.
    alex_page.locator("section.report-commitment").nth(0).get_by_label("Récit").fill("Par Alex")
    sam_page.locator("section.report-commitment").nth(1).get_by_label("Récit").fill("Par Sam")
    alex_page.get_by_role("button", name="Enregistrer cette partie").click()
    expect(alex_page.locator(".alert-success")).to_be_visible()
    sam_page.get_by_role("button", name="Enregistrer cette partie").click()
    expect(sam_page.locator(".alert-success")).to_be_visible()
    expect(sam_page.locator(".conflict")).to_have_count(0)
    narratives = dict(
        Answer.objects.filter(report=report, narrative__startswith="Par ").values_list(
            "narrative", "commitment__position"
        )
    )
    assert set(narratives) == {"Par Alex", "Par Sam"}

    # The same commitment: Sam's version is kept, Alex sees both side by side.
    sam_page.locator("section.report-commitment").nth(2).get_by_label("Récit").fill(
        "Version de Sam"
    )
    alex_page.reload()
    alex_page.locator("section.report-commitment").nth(2).get_by_label("Récit").fill(
        "Version d’Alex"
    )
    sam_page.get_by_role("button", name="Enregistrer cette partie").click()
    expect(sam_page.locator(".alert-success")).to_be_visible()
    alex_page.get_by_role("button", name="Enregistrer cette partie").click()
    conflict = alex_page.locator(".conflict")
    expect(conflict).to_contain_text("Version de Sam")
    expect(conflict).to_contain_text("Version d’Alex")
    expect(
        alex_page.locator("section.report-commitment").nth(2).get_by_label("Récit")
    ).to_have_value("Version d’Alex")
    axe(alex_page)
    screenshot("conflit-cote-a-cote", of=alex_page)
    # Alex takes Sam's version and saves: nothing lost, nothing blocked.
    alex_page.get_by_role("button", name="Reprendre sa version").click()
    alex_page.get_by_role("button", name="Enregistrer cette partie").click()
    expect(alex_page.locator(".alert-success")).to_be_visible()
    assert Answer.objects.filter(report=report, narrative="Version de Sam").count() == 1


def test_a_draft_survives_an_outage(live_server, page, screenshot, draft):
    """The server answers 503 to saves (the database is down): the text stays in the browser,
    comes back when the page is opened again, and is saved once the server answers."""
    place, report, alex, _sam = draft
    login(page.context, live_server, alex)
    url = _section_url(live_server, place)
    page.goto(url)

    def unavailable(route):
        if route.request.method == "POST":
            route.fulfill(status=503, headers={"Retry-After": "30"}, body="Service indisponible")
        else:
            route.continue_()

    page.route(url, unavailable)
    status = page.locator(".autosave-status")
    narrative = page.locator("section.report-commitment").first.get_by_label("Récit")
    narrative.fill("Écrit pendant la panne.")
    expect(status).to_contain_text("votre texte est gardé dans ce navigateur", timeout=8000)
    expect(status).to_contain_text("momentanément indisponible")
    screenshot("panne-texte-garde")
    assert not Answer.objects.filter(report=report, narrative="Écrit pendant la panne.").exists()

    # Opened again during the outage: the text kept in this browser is put back.
    page.reload()
    narrative = page.locator("section.report-commitment").first.get_by_label("Récit")
    expect(narrative).to_have_value("Écrit pendant la panne.")

    # The server answers again: the next attempt saves it, and the browser forgets its copy.
    page.unroute(url, unavailable)
    expect(status).to_contain_text("Enregistré à", timeout=20000)
    assert Answer.objects.filter(report=report, narrative="Écrit pendant la panne.").exists()
    page.reload()
    expect(page.locator("section.report-commitment").first.get_by_label("Récit")).to_have_value(
        "Écrit pendant la panne."
    )
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('lcp-draft:'))") == []
