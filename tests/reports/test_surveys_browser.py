"""Browser: a survey's question in the indicators step and the survey's admin pages, with
axe-core in French and English."""

import pytest
from playwright.sync_api import expect

from members.models import Indicator, Membership, SurveyAnswer
from members.services import reports as report_services
from tests import factories
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_survey_question_in_the_indicators_step(live_server, page, axe, screenshot, language):
    place = factories.MemberPlaceFactory(name="Centre social des Glycines")
    factories.SignatureFactory(place=place)
    campaign = factories.CampaignFactory(year=2026, name="Bilan 2026")
    campaign.indicators.set(Indicator.objects.all())
    survey = factories.external_survey(campaign)
    editor = factories.MembershipFactory(place=place, role=Membership.Role.EDITOR).user
    report_services.create_report(place=place, campaign=campaign, by=editor)
    login(page.context, live_server, editor)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    base = f"{live_server.url}/espace/{place.slug}/bilans/2026/"
    page.goto(base + "indicateurs/")
    label = {"fr": "Nombre de partenaires associatifs", "en": "Number of partner associations"}
    field = page.get_by_label(label[language])
    field.fill("douze")
    page.locator("button[name=then][value=stay]").click()
    expect(page.get_by_label(label[language])).to_have_value("douze")  # kept
    axe(page)
    screenshot(f"indicateurs-enquete-erreur-{language}")
    page.get_by_label(label[language]).fill("12")
    yes = {"fr": "Oui", "en": "Yes"}[language]
    page.get_by_label(
        survey.fields.get(code="ACT_JEUNES").label_en
        if language == "en"
        else survey.fields.get(code="ACT_JEUNES").label
    ).select_option(label=yes)
    page.locator("button[name=then][value=stay]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert dict(SurveyAnswer.objects.values_list("field__code", "value")) == {
        "NB_PARTEN": "12",
        "ACT_JEUNES": "true",
    }
    page.goto(base)
    expect(page.locator("#enquetes")).to_be_visible()
    axe(page)
    screenshot(f"bilan-enquetes-{language}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_survey_admin_pages_are_accessible(live_server, page, client, axe, screenshot, language):
    campaign = factories.CampaignFactory(year=2026)
    survey = factories.external_survey(campaign)
    coordinator = factories.UserFactory(is_staff=True, is_superuser=True)
    login(page.context, live_server, coordinator)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/members/survey/{survey.pk}/change/")
    expect(page.locator("#surveyfield_set-group, .inline-group").first).to_be_visible()
    axe(page)
    screenshot(f"admin-enquete-{language}")
    page.goto(f"{live_server.url}/admin/members/survey/{survey.pk}/import/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "champs.csv",
                "mimeType": "text/csv",
                "buffer": b"code;label;label_en;type;allowed values;source;source reference\n"
                b"A;Ateliers;Workshops;couleur;;ask;\n",
            }
        ],
    )
    page.locator("input[type=submit]").click()
    expect(page.locator("#import-errors")).to_be_visible()
    axe(page)
    screenshot(f"admin-import-erreurs-{language}")
