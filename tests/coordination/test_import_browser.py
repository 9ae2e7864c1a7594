"""Browser: a coordinator imports places (upload → preview → confirm), with axe-core in French
and in English."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from members.models import Invitation, Place
from members.territory import NATIONAL_GROUP
from tests import factories
from tests.browser import login
from tests.coordination.test_import import HEADER_EN, HEADER_FR, csv_bytes, line, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXTS = {
    "fr": {
        "button": "Importer des lieux",
        "preview": "Prévisualiser l’import",
        "invalid": "Lignes invalides",
        "reason": "Indiquez au moins un identifiant",
        "confirm": "Importer 2 lieux",
        "done": "2 lieu(x) importé(s)",
        "header": HEADER_FR,
    },
    "en": {
        "button": "Import places",
        "preview": "Preview the import",
        "invalid": "Invalid rows",
        "reason": "Enter at least one identifier",
        "confirm": "Import 2 places",
        "done": "2 place(s) imported",
        "header": HEADER_EN,
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_import_journey(live_server, page, axe, screenshot, language):
    texts = TEXTS[language]
    coordinator = factories.UserFactory(is_staff=True, language=language)
    coordinator.groups.add(Group.objects.get(name=NATIONAL_GROUP))
    factories.MemberPlaceFactory(name="Déjà inscrit", rna="W700000003")
    login(page.context, live_server, coordinator)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )

    def lines(*values):
        return [dict(zip(texts["header"], v.values(), strict=True)) for v in values]

    page.goto(live_server.url + "/admin/members/place/")
    page.get_by_role("link", name=texts["button"]).click()
    expect(page.locator("h1")).to_have_text(texts["button"])
    axe(page)
    screenshot(f"{language}-1-upload")

    # A file with an invalid line: the preview says why, and offers no confirmation.
    broken = csv_bytes(lines(line(1), line(2, rna="", siret="")), header=texts["header"])
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "reseau.csv", "mimeType": "text/csv", "buffer": broken}]
    )
    page.get_by_role("button", name=texts["preview"]).click()
    expect(page.locator("#import-problems caption")).to_have_text(texts["invalid"])
    expect(page.locator("#import-problems")).to_contain_text(texts["reason"])
    expect(page.locator("input[name=payload]")).to_have_count(0)
    axe(page)
    screenshot(f"{language}-2-preview-invalid")

    # The corrected file, from the same page: two to create, one duplicate.
    fixed = xlsx_bytes(lines(line(1), line(2), line(3)), header=texts["header"])
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "reseau.xlsx", "mimeType": XLSX, "buffer": fixed}]
    )
    page.get_by_role("button", name=texts["preview"]).click()
    expect(page.locator("#import-count-create strong")).to_have_text("2")
    expect(page.locator("#import-count-duplicates strong")).to_have_text("1")
    expect(page.locator("#import-count-invalid strong")).to_have_text("0")
    axe(page)
    screenshot(f"{language}-3-preview")

    page.get_by_role("button", name=texts["confirm"]).click()
    expect(page.locator(".messagelist")).to_contain_text(texts["done"])
    axe(page)
    screenshot(f"{language}-4-done")
    assert Place.objects.filter(status=Place.Status.APPLICANT).count() == 2
    assert Invitation.objects.count() == 2
