"""The whole product in Chromium, as its users live it (French UI, axe-core on every page).

1. A newcomer signs up, registers a place; a coordinator approves it; the representative invites
   an editor and signs the charter; the editor writes the report over two sittings; the
   coordinator asks for a change, then approves; the public finds the place and checks its
   signature.
2. A coordinator publishes charter version 2, which requires re-signing; the place re-signs.
3. The same public and portal pages in English.

axe-core runs on every page reached, the coordinators' admin pages included.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from charter.models import CharterVersion
from members.models import Indicator, Membership, Place, Report, Signature
from tests import factories
from tests.browser import answer_whole_section, login, sign_in_with_second_factor
from tests.helpers_journeys import (
    answer_first_commitment,
    approve,
    ask_for_changes,
    fill_labelled,
    resubmit,
    save_and_next,
    send_decision,
)
from tests.helpers_places import located
from tests.reports.conftest import first_answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "un-mot-de-passe-solide-2026"
COORDINATOR = "coordination@reseau.example"
REPRESENTATIVE = "presidente@tisserands.example"
EDITOR = "redaction@tisserands.example"
SLUG = "tiers-lieu-les-tisserands"


@pytest.fixture(autouse=True)
def _no_map_tiles_from_the_internet(settings):
    # Tiles come from the test server (404s), which Leaflet shrugs off.
    settings.MAP_TILES_URL = "/static/tiles/{z}/{x}/{y}.png"


def new_page(browser):
    """A page in a fresh browser context: its own cookies, so sessions don't mix."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    return context.new_page()


def link_in_last_mail(to, base, pattern):
    """The path of the first link matching ``pattern`` in the last e-mail sent to ``to``."""
    message = [m for m in mail.outbox if to in m.to][-1]
    url = re.search(rf"https?://\S+?({pattern})", message.body).group(1)
    assert url.startswith("/")
    return base + url


def sign_up(page, base, email):
    """Fill allauth's sign-up form (the page must show it), then confirm the address."""
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Vérifiez votre adresse")


def confirm_address(page, base, email):
    page.goto(link_in_last_mail(email, base, r"/accounts/confirm-email/\S+/"))
    page.locator("main form button[type=submit]").click()


def log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/espace/")


def log_out(page):
    page.get_by_role("button", name="Déconnexion").click()
    expect(page.get_by_role("link", name="Connexion")).to_be_visible()


def admin_log_in(admin, base, email, axe):
    """From the admin to the login page (password, then the authenticator app's code), to the
    coordinators' dashboard."""
    admin.goto(base + "/admin/")
    sign_in_with_second_factor(admin, email, axe=axe)
    admin.wait_for_url(base + "/admin/")
    axe(admin)


def sign_charter(page, decided_on):
    """Fill the signing form (the page must show it) as the co-president; not sent yet."""
    fill_labelled(
        page,
        {
            "Nom et prénom du ou de la signataire": "Aïcha Benali",
            "Qualité": "Co-présidente",
            "Date de la décision de votre instance dirigeante": decided_on,
        },
    )
    page.locator("input[name=mandate_certified]").check()


def send_signature(page):
    """Send the signing form; the certificate page follows."""
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/signatures/\d+/certificat/$"))


def test_whole_product(live_server, page, browser, axe, screenshot):
    base = live_server.url
    factories.UserFactory(email=COORDINATOR, is_staff=True, is_superuser=True)

    # 01 — A newcomer signs up and confirms the address with the link from the e-mail.
    page.goto(base + "/")
    axe(page)
    page.locator("header").get_by_role("link", name="Créer un compte").click()
    axe(page)
    screenshot("01-signup")
    sign_up(page, base, REPRESENTATIVE)
    axe(page)
    screenshot("02-verify-sent")
    confirm_address(page, base, REPRESENTATIVE)
    page.wait_for_url(base + "/espace/")
    expect(page.locator("h1")).to_have_text("Mon espace")
    axe(page)
    screenshot("03-dashboard-empty")

    # Registers a place with the real form.
    page.get_by_role("link", name="Inscrire mon lieu").first.click()
    expect(page.locator("h1")).to_be_visible()
    axe(page)
    fill_labelled(
        page,
        {
            "Nom public": "Tiers-lieu Les Tisserands",
            "Raison sociale": "Association Les Tisserands",
            "Numéro RNA": "W595001234",
            "SIRET": "732 829 320 00074",
            "Code postal": "59000",
            "Commune": "Lille",
            "Présentation": "Ateliers partagés, repair café et cantine solidaire.",
        },
    )
    page.locator("input[name=activities]").first.check()
    page.locator("input[name=publics]").first.check()
    screenshot("04-register")
    page.get_by_role("button", name="Inscrire mon lieu").click()
    page.wait_for_url(f"{base}/espace/{SLUG}/")
    axe(page)
    screenshot("05-place-applicant")
    place = Place.objects.get(slug=SLUG)
    assert place.status == Place.Status.APPLICANT and place.region == "32"

    # 06 — A coordinator approves it in the admin, in their own browser.
    admin = new_page(browser)
    admin_log_in(admin, base, COORDINATOR, axe)
    admin.goto(base + "/admin/members/place/?status__exact=applicant")
    admin.locator(f"input[name=_selected_action][value='{place.pk}']").check()
    admin.select_option("select[name=action]", "approve")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 lieu(x) validé(s).")
    axe(admin)
    screenshot("06-admin-approved", of=admin)
    place.refresh_from_db()
    assert place.status == Place.Status.MEMBER
    assert any(REPRESENTATIVE in m.to and "Tisserands" in m.subject for m in mail.outbox)

    # 07 — The representative invites an editor from the team page.
    page.goto(base + "/espace/")
    page.get_by_role("link", name="Tiers-lieu Les Tisserands").click()
    page.get_by_role("link", name="Équipe").click()
    page.get_by_label("Adresse e-mail").fill(EDITOR)
    page.locator("#id_role").select_option(Membership.Role.EDITOR)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator(".alert-success")).to_contain_text(EDITOR)
    expect(page.locator(".list-group")).to_contain_text(EDITOR)
    axe(page)
    screenshot("07-team-invited")

    # 08 — The editor follows the link, signs up with that address, verifies it, lands back on
    # the invitation and joins.
    editor = new_page(browser)
    editor.goto(link_in_last_mail(EDITOR, base, r"/espace/invitation/\S+/"))
    invitation_url = editor.url
    expect(editor.locator("h1")).to_contain_text("Tiers-lieu Les Tisserands")
    axe(editor)
    screenshot("08-invitation", of=editor)
    editor.locator("main").get_by_role("link", name="Créer un compte").click()
    sign_up(editor, base, EDITOR)
    confirm_address(editor, base, EDITOR)
    editor.wait_for_url(invitation_url)
    axe(editor)
    editor.get_by_role("button", name="Accepter l’invitation").click()
    editor.wait_for_url(f"{base}/espace/{SLUG}/")
    expect(editor.locator(".alert-success")).to_contain_text("Bienvenue dans l’équipe")
    axe(editor)
    screenshot("09-editor-joined", of=editor)
    assert place.memberships.get(user__email=EDITOR).role == Membership.Role.EDITOR

    # 10 — The representative signs the charter.
    page.goto(f"{base}/espace/{SLUG}/")
    page.get_by_role("link", name="Charte", exact=True).last.click()
    expect(page.locator("h1")).to_have_text("Signer la charte")
    sign_charter(page, "2026-01-20")
    axe(page)
    screenshot("10-sign")
    send_signature(page)
    signature = Signature.objects.get(place=place)
    expect(page.locator("main")).to_contain_text(signature.verification_code)
    axe(page)
    screenshot("11-certificate")

    # A reporting campaign is open (the coordinators' set-up, not under test here).
    campaign = factories.CampaignFactory(year=2026, name="Bilan 2026", name_en="2026 report")
    campaign.indicators.set(Indicator.objects.all())

    # 12 — The editor writes the report: first sitting.
    editor.goto(f"{base}/espace/")
    editor.get_by_role("link", name="Tiers-lieu Les Tisserands").click()
    editor.get_by_role("link", name="Bilans").click()
    axe(editor)
    editor.get_by_role("button", name=re.compile("Commencer le bilan")).click()
    expect(editor.locator("h1")).to_contain_text("Des valeurs communes")
    answer_first_commitment(
        editor, "Le repair café accueille **chaque samedi** le quartier.", "Repair café du samedi"
    )
    answer_whole_section(editor)
    axe(editor)
    screenshot("12-report-first-sitting", of=editor)
    save_and_next(editor)
    expect(editor.locator(".alert-success")).to_be_visible()
    log_out(editor)
    axe(editor)

    # 13 — Second sitting: everything is still there; finish and submit.
    log_in(editor, base, EDITOR)
    editor.goto(f"{base}/espace/{SLUG}/bilans/2026/")
    axe(editor)
    editor.goto(f"{base}/espace/{SLUG}/bilans/2026/parties/1/")
    first = editor.locator("section.report-commitment").first
    expect(first.get_by_label("Récit")).to_have_value(
        "Le repair café accueille **chaque samedi** le quartier."
    )
    expect(first.get_by_label("En progression", exact=True)).to_be_checked()
    section_one = editor.locator("section.report-commitment").count()
    expect(editor.get_by_text(f"{section_one} / 18 engagements renseignés")).to_be_visible()
    axe(editor)
    screenshot("13-report-second-sitting", of=editor)
    save_and_next(editor)
    for _ in range(2):
        answer_whole_section(editor, "Exemplaire")
        save_and_next(editor)
    expect(editor.locator("h1")).to_contain_text("Indicateurs")
    fill_labelled(
        editor,
        {
            "Bénévoles (personnes)": "31",
            "Salariés (personnes)": "2",
            "Personnes touchées (personnes)": "900",
            "Budget annuel total (€)": "120000",
            "dont vente de services (€)": "30000",
            "dont financements publics (€)": "70000",
            "dont autres produits (€)": "20000",
        },
    )
    axe(editor)
    screenshot("14-indicators", of=editor)
    editor.get_by_role("button", name="Enregistrer et voir l’aperçu").click()
    expect(editor.get_by_text("18 / 18 engagements renseignés")).to_be_visible()
    axe(editor)
    screenshot("15-preview", of=editor)
    editor.get_by_role("button", name="Envoyer le bilan à la coordination").click()
    expect(editor.locator(".alert-success")).to_contain_text("envoyé")
    axe(editor)
    report = Report.objects.get(place=place, campaign=campaign)
    assert report.status == Report.Status.SUBMITTED

    # 16 — The coordinator reviews it in the admin and asks for a change on one commitment.
    review_url = f"{base}/admin/members/report/{report.pk}/relecture/"
    admin.goto(f"{base}/admin/members/report/")
    axe(admin)
    admin.get_by_role("link", name=re.compile("Tisserands")).first.click()
    axe(admin)
    ask_for_changes(
        admin,
        review_url,
        first_answer(report),
        "Combien de personnes viennent au repair café ?",
        "Merci de chiffrer le repair café.",
    )
    expect(admin.locator("#content-main")).to_contain_text("chaque samedi")
    axe(admin)
    screenshot("16-admin-review", of=admin)
    send_decision(admin, "Modifications demandées")

    # 17 — The editor sees the comment next to the answer, fixes it and resubmits.
    editor.goto(f"{base}/espace/{SLUG}/bilans/2026/")
    expect(editor.locator(".alert-warning")).to_contain_text("Merci de chiffrer le repair café.")
    axe(editor)
    editor.goto(f"{base}/espace/{SLUG}/bilans/2026/parties/1/")
    first = editor.locator("section.report-commitment").first
    expect(first.locator(".reviewer-comment")).to_contain_text("Combien de personnes")
    first.get_by_label("Actions concrètes").fill("Repair café du samedi : 40 personnes")
    axe(editor)
    screenshot("17-comment-next-to-answer", of=editor)
    editor.get_by_role("button", name="Enregistrer cette partie").click()
    expect(editor.locator(".alert-success")).to_be_visible()
    resubmit(editor, f"{base}/espace/{SLUG}/bilans/2026/apercu/", "C’est chiffré.")

    # 18 — The coordinator approves.
    approve(admin, review_url, "40 personnes")
    axe(admin)
    screenshot("18-admin-approved-report", of=admin)
    editor.goto(f"{base}/espace/{SLUG}/bilans/2026/")
    expect(editor.locator(".alert-success")).to_contain_text("validé")
    axe(editor)
    screenshot("19-report-approved", of=editor)

    # 20 — The public finds the place in the directory, with its signature and its report.
    public = new_page(browser)
    public.goto(base + "/annuaire/")
    card = public.locator(".place-card", has_text="Tiers-lieu Les Tisserands")
    expect(card).to_contain_text("Charte v1 signée")
    axe(public)
    screenshot("20-directory", of=public)
    card.get_by_role("link", name="Tiers-lieu Les Tisserands").click()
    public.wait_for_url(f"{base}/annuaire/{SLUG}/")
    expect(public.locator("h1")).to_have_text("Tiers-lieu Les Tisserands")
    expect(public.locator(".badges")).to_contain_text("Charte v1 signée")
    expect(public.locator(".report")).to_contain_text("Bilan 2026")
    public.get_by_text("Lire les récits et actions du bilan").click()
    expect(public.locator(".report")).to_contain_text("40 personnes")
    axe(public)
    screenshot("21-place-page", of=public)

    # 22 — … and checks the signature with the code shown there.
    public.get_by_role("link", name=signature.verification_code).click()
    public.wait_for_url(f"{base}/verifier/{signature.verification_code}/")
    expect(public.locator("main")).to_contain_text("Signature authentique et en vigueur")
    expect(public.locator("main")).not_to_contain_text("Aïcha Benali")
    axe(public)
    screenshot("22-verify", of=public)
    for context in (admin.context, editor.context, public.context):
        context.close()


@pytest.fixture
def signed_place(db):
    """A member place that signed version 1, its representative and its editor."""
    place = factories.MemberPlaceFactory(
        name="Tiers-lieu Les Tisserands",
        slug=SLUG,
        street="3 rue des Tisserands",
        **located("59000", "Lille", 50.63, 3.06),
    )
    signature = factories.SignatureFactory(place=place)
    representative = factories.MembershipFactory(
        place=place, role=Membership.Role.REPRESENTATIVE, user__email=REPRESENTATIVE
    ).user
    editor = factories.MembershipFactory(
        place=place, role=Membership.Role.EDITOR, user__email=EDITOR
    ).user
    return place, signature, representative, editor


def test_charter_version_2_and_re_signing(
    live_server, page, browser, axe, screenshot, signed_place
):
    base = live_server.url
    place, old, representative, _ = signed_place
    factories.UserFactory(email=COORDINATOR, is_staff=True, is_superuser=True)
    v1 = CharterVersion.objects.current()

    # 01 — A coordinator makes a new draft from the current version with the admin's button…
    admin = new_page(browser)
    admin_log_in(admin, base, COORDINATOR, axe)
    admin.goto(f"{base}/admin/charter/charterversion/{v1.pk}/change/")
    admin.get_by_role("button", name="Nouveau brouillon à partir de cette version").click()
    expect(admin.locator(".messagelist")).to_contain_text("Brouillon de la version 2")
    draft = CharterVersion.objects.get(number=2)
    assert admin.url.endswith(f"/admin/charter/charterversion/{draft.pk}/change/")
    axe(admin)
    screenshot("01-admin-draft", of=admin)

    # … rewords one bullet of the text, and the commitment that quotes it, and saves …
    reworded = "Une laïcité ouverte, qui accueille chacune et chacun avec ses convictions"
    bullets = admin.locator("textarea[name$='-bullets']").first
    bullets.fill(
        bullets.input_value().replace("Une laïcité respectueuse des différences", reworded)
    )
    key = admin.locator("input[name$='-key'][value='valeur-laicite']")
    text = admin.locator(f"textarea[name='{key.get_attribute('name')[:-3]}text']")
    text.fill(reworded)
    admin.locator("input[name=_continue]").click()
    expect(admin.locator(".messagelist")).to_be_visible()
    assert "accueille chacune" in draft.commitments.get(key="valeur-laicite").text

    # … and publishes it through the confirmation page, requiring every place to sign again.
    admin.get_by_role("link", name="Publier", exact=True).click()
    expect(admin.locator("#content-main")).to_contain_text("accueille chacune")  # the diff
    admin.get_by_label("Changement substantiel").check()
    admin.get_by_label("Délai pour signer à nouveau").fill("60")
    axe(admin)
    screenshot("02-admin-publish-confirm", of=admin)
    admin.get_by_role("button", name="Publier la version 2").click()
    expect(admin.locator(".messagelist")).to_contain_text("La version 2 est publiée")
    axe(admin)
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.PUBLISHED and draft.requires_resigning
    admin.context.close()

    # 03 — The representative sees the banner with the deadline, and re-signs.
    deadline = draft.published_at + timedelta(days=60)
    with translation.override("fr"):
        deadline_text = date_format(timezone.localtime(deadline), "j F Y")
    login(page.context, live_server, representative)
    page.goto(base + "/espace/")
    banner = page.locator(".alert-warning", has_text="version 2")
    expect(banner).to_contain_text("signer à nouveau")
    expect(banner).to_contain_text(deadline_text)
    axe(page)
    screenshot("03-dashboard-banner")
    banner.get_by_role("link", name="Signer la nouvelle version").click()
    expect(page.locator("main")).to_contain_text("accueille chacune")
    sign_charter(page, "2026-03-02")
    axe(page)
    screenshot("04-re-sign")
    send_signature(page)
    new = Signature.objects.get(place=place, version=draft)
    expect(page.locator("main")).to_contain_text(new.verification_code)
    axe(page)
    screenshot("05-new-certificate")
    page.goto(base + "/espace/")
    expect(page.locator(".alert-warning")).to_have_count(0)
    axe(page)

    # 06 — The public: the old code is superseded, the new one is current.
    public = new_page(browser)
    public.goto(f"{base}/verifier/{old.verification_code}/")
    expect(public.locator("main")).to_contain_text("remplacée par une signature plus récente")
    axe(public)
    screenshot("06-verify-old", of=public)
    public.goto(f"{base}/verifier/{new.verification_code}/")
    expect(public.locator("main")).to_contain_text("Signature authentique et en vigueur")
    expect(public.locator("main")).to_contain_text(draft.fingerprint)
    axe(public)
    screenshot("07-verify-new", of=public)
    public.goto(f"{base}/annuaire/{SLUG}/")
    expect(public.locator(".badges")).to_contain_text("Charte v2 signée")
    axe(public)
    public.context.close()


def english(msgid, **values):
    """``msgid`` as the English catalogue has it (French while it is not translated yet)."""
    with translation.override("en"):
        return translation.gettext(msgid) % values if values else translation.gettext(msgid)


def test_the_same_pages_in_english(live_server, page, axe, screenshot, signed_place):
    base = live_server.url
    place, signature, _, editor = signed_place
    campaign = factories.CampaignFactory(year=2026, name="Bilan 2026", name_en="2026 report")
    campaign.indicators.set(Indicator.objects.all())
    factories.published_report(place, campaign)
    name = place.name

    # The switcher sets the language for the rest of the visit.
    login(page.context, live_server, editor)
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Headings from the data (English titles) or from the English catalogue.
    charter_title = "What local community places (LCP) share and stand up for"
    pages = [
        ("home", "/", [english("Des lieux ouverts à toutes et à tous, près de chez vous")]),
        ("charter", "/charte/", [charter_title, "Shared values"]),
        ("directory", "/annuaire/", [english("Annuaire des lieux signataires")]),
        ("place", f"/annuaire/{SLUG}/", [english("Bilans publiés"), "2026 report"]),
        (
            "verify",
            f"/verifier/{signature.verification_code}/",
            [english("Vérification d’une signature")],
        ),
        ("portal", "/espace/", [english("Mon espace")]),
        ("portal-place", f"/espace/{SLUG}/", [english("Signatures de la charte")]),
        ("team", f"/espace/{SLUG}/equipe/", [english("L’équipe de « %(name)s »", name=name)]),
        ("reports", f"/espace/{SLUG}/bilans/", [english("Bilans de %(place)s", place=name)]),
        ("report", f"/espace/{SLUG}/bilans/2026/", ["2026 report"]),
        ("report-print", f"/espace/{SLUG}/bilans/2026/imprimer/", ["2026 report", "Shared values"]),
    ]
    for number, (step, path, headings) in enumerate(pages, start=1):
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        navigation = page.get_by_role("navigation", name="Main navigation")
        expect(navigation.get_by_role("link", name="Directory")).to_be_visible()
        for heading in headings:
            expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        axe(page)
        screenshot(f"{number:02d}-{step}")
