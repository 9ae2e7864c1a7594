"""Browser journey: sign up → verify the address → register a place → a coordinator approves it
in the admin → sign the charter → the certificate; axe-core on every portal page."""

import re

import pytest
from django.core import mail

from members.models import Place, Signature
from tests import factories
from tests.browser import sign_in_with_second_factor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "un-mot-de-passe-solide-2026"


def test_member_journey(live_server, page, browser, browser_context_args, axe, screenshot):
    factories.UserFactory(email="coordination@reseau.example", is_staff=True, is_superuser=True)
    base = live_server.url

    # Sign up, then confirm the address with the link from the e-mail.
    page.goto(base + "/accounts/signup/")
    page.fill("input[name=email]", "presidente@laruche.example")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(base + link[link.index("/accounts/") :])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/espace/")
    assert page.locator("h1").inner_text() == "Mon espace"
    axe(page)
    screenshot("01-dashboard-empty")

    # Register a place.
    page.get_by_role("link", name="Inscrire mon lieu").first.click()
    axe(page)
    page.get_by_label("Nom public").fill("La Ruche du Quartier")
    page.get_by_label("Raison sociale").fill("Association La Ruche")
    page.get_by_label("Numéro RNA").fill("W351234567")
    page.get_by_label("SIRET").fill("123")  # wrong on purpose: the form keeps what was typed
    page.get_by_label("Code postal").fill("35000")
    page.get_by_label("Commune").fill("Rennes")
    page.get_by_label("Présentation").fill("Un lieu pour se retrouver, apprendre et agir.")
    page.locator("input[name=activities]").first.check()
    page.locator("input[name=publics]").first.check()
    page.get_by_role("button", name="Inscrire mon lieu").click()
    assert page.locator(".invalid-feedback, .invalid-feedback *").first.is_visible()
    assert page.get_by_label("Nom public").input_value() == "La Ruche du Quartier"
    axe(page)
    screenshot("02-register-error")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Inscrire mon lieu").click()
    page.wait_for_url(re.compile(r"/espace/la-ruche-du-quartier/$"))
    axe(page)
    screenshot("03-place-applicant")
    place = Place.objects.get()
    assert place.status == Place.Status.APPLICANT and place.region == "53"

    page.goto(base + "/espace/")
    assert "Attendre la validation" in page.locator("table").inner_text()
    axe(page)

    # A coordinator approves the place in the admin, in their own browser.
    coordinator = browser.new_context(**browser_context_args)
    admin = coordinator.new_page()
    admin.goto(base + "/admin/login/?next=/admin/members/place/")
    sign_in_with_second_factor(admin, "coordination@reseau.example")
    admin.wait_for_url(re.compile(r"/admin/members/place/"))
    admin.locator(f"input[name=_selected_action][value='{place.pk}']").check()
    admin.select_option("select[name=action]", "approve")
    admin.locator("button[name=index]").click()
    admin.wait_for_load_state()
    assert "1 lieu(x) validé(s)." in admin.locator(".messagelist").inner_text()
    coordinator.close()
    place.refresh_from_db()
    assert place.status == Place.Status.MEMBER

    # Sign the charter.
    page.goto(base + "/espace/")
    page.get_by_role("link", name="Signer la charte").click()
    assert page.locator("h1").inner_text() == "Signer la charte"
    axe(page)
    screenshot("04-sign")
    page.get_by_label("Nom et prénom du ou de la signataire").fill("Camille Durand")
    page.get_by_label("Qualité").fill("Présidente")
    page.get_by_label("Date de la décision de votre instance dirigeante").fill("2026-01-15")
    page.locator("input[name=mandate_certified]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/signatures/\d+/certificat/$"))
    axe(page)
    screenshot("05-certificate")
    signature = Signature.objects.get()
    assert signature.verification_code in page.locator("main").inner_text()

    # Anyone can check it.
    page.goto(base + f"/verifier/{signature.verification_code}/")
    assert "en vigueur" in page.locator("main").inner_text()
    assert "Camille Durand" not in page.content()
    axe(page)
    screenshot("06-verify")

    page.goto(base + "/espace/la-ruche-du-quartier/equipe/")
    axe(page)
    screenshot("07-team")
    page.goto(base + "/espace/")
    axe(page)
    screenshot("08-dashboard-signed")
