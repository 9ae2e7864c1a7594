"""Bringing an existing network: coordinators import places from a CSV or XLSX file
(members/services/imports.py, members/admin/imports.py).

Parsing (encodings, delimiters, XLSX, headers in French or English), every validation rule with
its reason in the coordinator's language, duplicates against the portal and within the file,
idempotence, atomicity, territorial scope and permissions, invitations through the mail path,
and a 1,000-row file with deliberate errors, timed (< 30 s), on whichever database runs the
suite (CI runs it on SQLite and on PostgreSQL).
"""

import csv
import io
import time

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from members.admin.imports import sign_rows
from members.models import (
    Activity,
    Invitation,
    Membership,
    Place,
    PlaceTransition,
    PublicServed,
)
from members.services import TeamError, imports
from members.services import teams as team_services
from tests import factories

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/members/place/import/"
HEADER_FR = ["nom", "rna", "siret", "adresse", "code postal", "commune", "e-mail"]
HEADER_EN = ["name", "RNA", "SIRET", "address", "postcode", "town", "e-mail"]


def line(n, **overrides):
    """A valid line for a place in Rennes (Bretagne), unique for each ``n``."""
    values = {
        "nom": f"Lieu importé {n}",
        "rna": f"W{700000000 + n}",
        "siret": factories.siret_with_luhn(900000 + n),
        "adresse": f"{n} rue de la Gare",
        "code postal": "35000",
        "commune": "Rennes",
        "e-mail": f"contact{n}@example.org",
    }
    values.update(overrides)
    return values


def csv_bytes(lines, header=HEADER_FR, delimiter=";", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for values in lines:
        writer.writerow([values.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(lines, header=HEADER_FR):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in lines:
        sheet.append([values.get(column, "") for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content, name="lieux.csv"):
    return SimpleUploadedFile(name, content)


def read(content, name="lieux.csv"):
    return imports.read_file(upload(content, name)).rows


def analyse(lines, by, **kwargs):
    return imports.analyse(read(csv_bytes(lines, **kwargs)), by=by)


def problems_of(analysis):
    return [(p.row, p.column, p.reason) for p in analysis.problems]


# --- Reading the file -------------------------------------------------------------------------


def test_csv_with_semicolons_bom_and_french_headers():
    rows = read(csv_bytes([line(1, nom="Maison des Générations")]))
    assert rows == [
        {
            "row": 2,
            "name": "Maison des Générations",
            "rna": "W700000001",
            "siret": factories.siret_with_luhn(900001),
            "street": "1 rue de la Gare",
            "postcode": "35000",
            "commune": "Rennes",
            "email": "contact1@example.org",
        }
    ]


def test_csv_with_commas_no_bom_and_english_headers():
    english = [dict(zip(HEADER_EN, line(1).values(), strict=True))]
    rows = read(csv_bytes(english, header=HEADER_EN, delimiter=",", encoding="utf-8"))
    assert rows[0]["name"] == "Lieu importé 1" and rows[0]["commune"] == "Rennes"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_csv_as_excel_saves_it(encoding):
    content = csv_bytes([line(1, nom="Café des Âges", commune="Saint-Étienne")], encoding=encoding)
    rows = read(content)
    assert rows[0]["name"] == "Café des Âges" and rows[0]["commune"] == "Saint-Étienne"


def test_headers_in_any_order_and_spelling_other_columns_ignored_blank_lines_skipped():
    content = (
        "Commentaire;Code_Postal;NOM DU LIEU;Courriel;N° SIRET;Ville\n"
        ";35000;La Ruche;ruche@example.org;;Rennes\n"
        ";;;;;\n"
        "à revoir;29200;Le Phare;phare@example.org;;Brest\n"
    ).encode()
    sheet = imports.read_file(upload(content))
    assert sheet.ignored == ["Commentaire"]
    assert [(r["row"], r["name"], r["postcode"]) for r in sheet.rows] == [
        (2, "La Ruche", "35000"),
        (4, "Le Phare", "29200"),
    ]


def test_xlsx_with_numbers_in_cells():
    """Spreadsheets store postcodes and SIRETs as numbers, and drop a postcode's leading 0."""
    siret = "73282932000074"
    content = xlsx_bytes(
        [line(1, siret=int(siret), **{"code postal": 1000, "commune": "Bourg-en-Bresse"})]
    )
    rows = read(content, "lieux.xlsx")
    assert rows[0]["siret"] == siret and rows[0]["postcode"] == "1000"
    national = factories.UserFactory(is_staff=True, is_superuser=True)
    analysis = imports.analyse(rows, by=national)
    assert not analysis.problems
    place = analysis.to_create[0].place
    assert (place.postcode, place.departement, place.region) == ("01000", "01", "84")


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"nom;rna;commune\nLa Ruche;W123456789;Rennes\n", "a.csv", "code postal, e-mail"),
        (b"nom;code postal;commune;e-mail\nLa Ruche;35000;Rennes;a@b.fr\n", "a.csv", "RNA / SIRET"),
        (b"", "a.csv", "vide"),
        (b"nom;rna;siret;code postal;commune;e-mail\n", "a.csv", "aucun lieu"),
        (b"nom;nom;rna;code postal;commune;e-mail\n", "a.csv", "deux fois"),
        (b"\xd0\xcf\x11\xe0 old excel", "lieux.xls", "XLSX ou CSV"),
        (b"PK\x03\x04 not really a zip", "lieux.xlsx", "XLSX est illisible"),
        (b"\x00\x01\x02binary", "lieux.bin", "ni un CSV ni un XLSX"),
    ],
)
def test_unreadable_files_say_why(content, name, message):
    with pytest.raises(imports.ImportFileError) as error:
        read(content, name)
    assert message in str(error.value)


def test_size_and_row_limits(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    with pytest.raises(imports.ImportFileError, match="plus de 3 lignes"):
        read(csv_bytes([line(n) for n in range(4)]))
    assert len(read(csv_bytes([line(n) for n in range(3)]))) == 3
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    with pytest.raises(imports.ImportFileError, match="dépasse"):
        read(csv_bytes([line(n) for n in range(3)]))


# --- Each rule, with the row, the column and the reason ----------------------------------------


INVALID = [
    ({"rna": "X123"}, "RNA", "commence par la lettre W"),
    ({"rna": "W 123 456 789 0"}, "RNA", "commence par la lettre W"),
    ({"siret": "732 829 320 00075"}, "SIRET", "n’est pas valide"),
    ({"siret": "1234"}, "SIRET", "14 chiffres"),
    ({"rna": "", "siret": ""}, "RNA / SIRET", "au moins un identifiant"),
    ({"code postal": "99999"}, "code postal", "code postal français"),
    ({"code postal": "35 000"}, "code postal", "code postal français"),
    ({"nom": ""}, "nom", "ne peut pas être vide"),
    ({"nom": "L" * 201}, "nom", "au plus 200 caractères"),
    ({"commune": ""}, "commune", "ne peut pas être vide"),
    ({"e-mail": ""}, "e-mail", "obligatoire"),
    ({"e-mail": "pas-une-adresse"}, "e-mail", "adresse e-mail valide"),
    ({"activités": "culture; Plongée sous-marine"}, "activités", "« Plongée sous-marine »"),
    ({"publics": "Martiens"}, "publics", "Public inconnu : « Martiens »"),
]


@pytest.mark.parametrize("overrides,column,reason", INVALID, ids=[r for _o, _c, r in INVALID])
def test_each_rule_names_the_row_the_column_and_the_reason(national, overrides, column, reason):
    header = [*HEADER_FR, "activités", "publics"]
    analysis = analyse([line(1), line(2, **overrides)], national, header=header)
    assert [(p.row, p.column) for p in analysis.problems] == [(3, column)]
    assert reason in analysis.problems[0].reason
    assert analysis.invalid_rows == [3] and len(analysis.to_create) == 1


def test_reasons_in_the_coordinators_language(national):
    with translation.override("en"):
        analysis = analyse(
            [line(1, rna="X1", siret="", **{"code postal": "99999", "e-mail": "non"})], national
        )
    assert problems_of(analysis) == [
        (
            2,
            "RNA",
            "The RNA number starts with the letter W followed by 9 digits (e.g. W123456789).",
        ),
        (2, "postcode", "Enter a 5-digit French postcode (e.g. 35000, 20000, 97400)."),
        (2, "e-mail", "Enter a valid email address."),
    ]


def test_identifiers_spaces_and_lists_are_normalised_as_registration_does(national):
    Activity.objects.create(name="Jardinage partagé", name_en="Shared gardening", slug="jardin")
    public = PublicServed.objects.first()
    header = [*HEADER_FR, "activités", "publics"]
    analysis = analyse(
        [
            line(
                1,
                rna=" w 700 000 001 ",
                siret="732 829 320 00074",
                activités="JARDINAGE PARTAGE ; shared gardening",
                publics=public.name.upper(),
            )
        ],
        national,
        header=header,
    )
    candidate = analysis.to_create[0]
    assert (candidate.place.rna, candidate.place.siret) == ("W700000001", "73282932000074")
    assert [a.slug for a in candidate.activities] == ["jardin"]
    assert candidate.publics == [public]


# --- Duplicates --------------------------------------------------------------------------------


def test_duplicates_of_registered_places(national):
    by_rna = factories.MemberPlaceFactory(name="Le Rennais", rna="W700000001")
    by_siret = factories.PlaceFactory(siret=factories.siret_with_luhn(900002))
    by_name = factories.MemberPlaceFactory(name="L’Escale", postcode="35000", rna="W111111111")
    analysis = analyse(
        [
            line(1),
            line(2),
            line(3, nom="l'escale "),  # same name, other case, apostrophe and spaces
            line(4, nom="L’Escale", **{"code postal": "35200"}),  # same name, other postcode
        ],
        national,
    )
    reasons = {d.row: (d.reason, d.existing) for d in analysis.duplicates}
    assert reasons == {
        2: ("Même numéro RNA que « Le Rennais », déjà inscrit.", by_rna),
        3: (f"Même SIRET que « {by_siret.name} », déjà inscrit.", by_siret),
        4: ("Même nom et même code postal que « L’Escale », déjà inscrit.", by_name),
    }
    assert [c.row for c in analysis.to_create] == [5]


def test_a_rejected_or_withdrawn_place_releases_its_identifiers(national):
    factories.PlaceFactory(rna="W700000001", status=Place.Status.REJECTED, name="Lieu importé 1")
    analysis = analyse([line(1)], national)
    assert not analysis.duplicates and len(analysis.to_create) == 1


def test_duplicates_within_the_file(national):
    analysis = analyse(
        [
            line(1),
            line(2, rna="W700000001"),
            line(3, siret=factories.siret_with_luhn(900001), rna=""),
            line(4, nom="LIEU IMPORTÉ 1", rna="", siret=factories.siret_with_luhn(1)),
            line(5),
        ],
        national,
    )
    assert [(d.row, d.reason) for d in analysis.duplicates] == [
        (3, "Même numéro RNA que la ligne 2."),
        (4, "Même SIRET que la ligne 2."),
        (5, "Même nom et même code postal que la ligne 2."),
    ]
    assert [c.row for c in analysis.to_create] == [2, 6]


def test_a_duplicate_outside_the_territory_is_not_named(territorial):
    factories.MemberPlaceFactory(
        name="La Marseillaise", rna="W700000001", postcode="13001", departement="13", region="93"
    )
    analysis = analyse([line(1)], territorial)
    assert [(d.reason, d.existing) for d in analysis.duplicates] == [
        ("Même numéro RNA qu’un lieu déjà inscrit hors de votre territoire.", None)
    ]


# --- Importing ---------------------------------------------------------------------------------


def test_import_creates_applicants_and_invites_their_contacts(
    national, django_capture_on_commit_callbacks
):
    english = factories.UserFactory(email="contact2@example.org", language="en")
    header = [*HEADER_FR, "activités"]
    activity = Activity.objects.first()
    rows = read(csv_bytes([line(1, activités=activity.name), line(2)], header=header))
    factories.UserFactory(email="other-coordinator@example.org", is_staff=True, is_superuser=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = imports.import_places(rows=rows, by=national)

    assert len(result.created) == 2 and result.duplicates == []
    first, second = Place.objects.filter(name__startswith="Lieu importé").order_by("name")
    assert first.status == Place.Status.APPLICANT
    assert (first.departement, first.region, first.slug) == ("35", "53", "lieu-importe-1")
    assert first.position_is_approximate and first.legal_name == "Lieu importé 1"
    assert list(first.activities.all()) == [activity]
    transition = PlaceTransition.objects.get(place=first)
    assert (transition.from_status, transition.to_status, transition.by) == (
        "",
        "applicant",
        national,
    )
    assert first.history.get().history_user == national
    assert not Membership.objects.filter(place__in=[first, second]).exists()
    invitation = Invitation.objects.get(place=first)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "contact1@example.org",
        Membership.Role.REPRESENTATIVE,
        national,
    )
    # One invitation per place, in the recipient's language; coordinators are not told of
    # places they imported themselves.
    assert sorted(m.to[0] for m in mail.outbox) == ["contact1@example.org", "contact2@example.org"]
    french = next(m for m in mail.outbox if m.to == ["contact1@example.org"])
    assert "La coordination du réseau" in french.body and "Lieu importé 1" in french.subject
    assert invitation.token in french.body
    in_english = next(m for m in mail.outbox if m.to == [english.email])
    assert "The network’s coordination" in in_english.body


def test_the_invited_contact_becomes_the_representative(client, national):
    imports.import_places(rows=read(csv_bytes([line(1)])), by=national)
    invitation = Invitation.objects.get()
    contact = factories.UserFactory(email="contact1@example.org")
    client.force_login(contact)
    response = client.post(reverse("members:invitation", args=[invitation.token]))
    assert response.status_code == 302
    membership = Membership.objects.get(place=invitation.place)
    assert (membership.user, membership.role) == (contact, Membership.Role.REPRESENTATIVE)


def test_a_coordinators_invitation_lapses_with_their_territory(territorial):
    imports.import_places(rows=read(csv_bytes([line(1)])), by=territorial)
    invitation = Invitation.objects.get()
    team_services.check_invitation(invitation)
    territorial.coordinator_scope.departements = []
    territorial.coordinator_scope.regions = ["11"]
    territorial.coordinator_scope.save()
    invitation = Invitation.objects.select_related("invited_by").get()
    with pytest.raises(TeamError):
        team_services.check_invitation(invitation)


def test_importing_the_same_file_twice_creates_nothing_new(
    national, django_capture_on_commit_callbacks
):
    rows = read(csv_bytes([line(n) for n in range(5)]))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(imports.import_places(rows=rows, by=national).created) == 5
    assert len(mail.outbox) == 5
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = imports.import_places(rows=rows, by=national)
    assert again.created == [] and len(again.duplicates) == 5
    assert Place.objects.count() == 5 and Invitation.objects.count() == 5
    assert mail.outbox == []


def test_an_invalid_row_creates_nothing(national):
    rows = read(csv_bytes([line(1), line(2), line(3, siret="12345678901234", rna="")]))
    with pytest.raises(imports.ImportRefused, match="ligne 4"):
        imports.import_places(rows=rows, by=national)
    assert not Place.objects.exists() and not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_error_after_the_places_were_created_creates_nothing(national, monkeypatch):
    """The places are written, then the invitations fail: the places go too."""

    def failing(**kwargs):
        assert Place.objects.count() == 5
        raise TeamError("Refus simulé.")

    monkeypatch.setattr(team_services, "invite_representatives", failing)
    rows = read(csv_bytes([line(n) for n in range(5)]))
    with pytest.raises(imports.ImportRefused, match="L’import a échoué : Refus simulé"):
        imports.import_places(rows=rows, by=national)
    assert not Place.objects.exists() and not PlaceTransition.objects.exists()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_place_registered_during_the_import_creates_nothing(national, monkeypatch):
    """Someone registers line 3's RNA after the checks: the database's unique constraint
    refuses the import as a whole."""
    analyse = imports.analyse

    def meanwhile(rows, *, by):
        analysis = analyse(rows, by=by)
        factories.PlaceFactory(rna="W700000002", name="Arrivé entre-temps")
        return analysis

    monkeypatch.setattr(imports, "analyse", meanwhile)
    with pytest.raises(imports.ImportRefused, match="déjà inscrit"):
        imports.import_places(rows=read(csv_bytes([line(1), line(2), line(3)])), by=national)
    assert not Place.objects.exists() and not Invitation.objects.exists()


# --- Territory and permissions -----------------------------------------------------------------


def test_a_territorial_coordinator_imports_only_inside_the_territory(territorial):
    lines = [
        line(1),  # Rennes, Bretagne
        line(2, **{"code postal": "69003", "commune": "Lyon"}),  # the Rhône
        line(3, **{"code postal": "13001", "commune": "Marseille"}),  # outside
    ]
    analysis = analyse(lines, territorial)
    assert problems_of(analysis) == [
        (
            4,
            "code postal",
            "Ce lieu (département 13 – Bouches-du-Rhône) est hors de votre territoire : seule "
            "la coordination de son territoire peut l’importer.",
        )
    ]
    with pytest.raises(imports.ImportRefused):
        imports.import_places(rows=read(csv_bytes(lines)), by=territorial)
    result = imports.import_places(rows=read(csv_bytes(lines[:2])), by=territorial)
    assert {place.departement for place in result.created} == {"35", "69"}


def test_unscoped_staff_import_nothing(unscoped_staff):
    analysis = analyse([line(1)], unscoped_staff)
    assert analysis.invalid_rows == [2]


@pytest.mark.parametrize("who", ["member", "staff_without_permission"])
def test_the_service_refuses_whoever_is_not_an_importing_coordinator(who, representative):
    user = representative
    if who == "staff_without_permission":
        user = factories.UserFactory(is_staff=True)
    with pytest.raises(imports.ImportRefused):
        imports.import_places(rows=read(csv_bytes([line(1)])), by=user)
    assert not Place.objects.filter(name="Lieu importé 1").exists()


def test_pages_are_for_coordinators_who_may_add_places(client, representative, national):
    template_url = IMPORT_URL + "modele.csv"
    for url in (IMPORT_URL, template_url):
        response = client.get(url)  # anonymous: to the login page
        assert response.status_code == 302 and "login" in response.url
    client.force_login(representative)  # a member: not staff
    response = client.get(IMPORT_URL, follow=True)
    assert response.status_code == 403
    staff = factories.UserFactory(is_staff=True)  # staff without "add place"
    staff.user_permissions.add(Permission.objects.get(codename="view_place"))
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(csv_bytes([line(1)]))}).status_code == 403
    assert "Importer des lieux" not in client.get("/admin/members/place/").text
    client.force_login(national)
    assert client.get(IMPORT_URL).status_code == 200
    assert "Importer des lieux" in client.get("/admin/members/place/").text


def test_territorial_coordinators_import_but_do_not_use_the_plain_add_form(client, territorial):
    client.force_login(territorial)
    changelist = client.get("/admin/members/place/").text
    assert IMPORT_URL in changelist and "/admin/members/place/add/" not in changelist
    assert client.get("/admin/members/place/add/").status_code == 403
    assert client.get(IMPORT_URL).status_code == 200


# --- The pages -----------------------------------------------------------------------------------


def test_template_file_has_the_headers_in_the_coordinators_language(client, national):
    client.force_login(national)
    french = b"".join(client.get(IMPORT_URL + "modele.csv").streaming_content).decode()
    assert french.startswith("\ufeffnom,raison sociale,RNA,SIRET,adresse,code postal,commune,")
    client.cookies["django_language"] = "en"
    english = client.get(IMPORT_URL + "modele.csv")
    assert "import" in english["Content-Disposition"]
    header = b"".join(english.streaming_content).decode().lstrip("\ufeff").strip()
    assert header.startswith("name,registered name,RNA,SIRET,address,postcode,town,e-mail")
    # Either template, filled in, is read back.
    for text in (french.lstrip("\ufeff").strip(), header):
        filled = f"{text}\nLa Ruche,,W123456789,,,35000,Rennes,ruche@example.org,,\n"
        assert read(filled.encode())[0]["name"] == "La Ruche"


def test_upload_preview_confirm(client, national, django_capture_on_commit_callbacks):
    factories.MemberPlaceFactory(name="Déjà là", rna="W700000002")
    client.force_login(national)
    assert "Télécharger le modèle" in client.get(IMPORT_URL).text
    content = xlsx_bytes([line(1), line(2), line(3)])
    response = client.post(IMPORT_URL, {"file": upload(content, "réseau.xlsx")})
    assert response.status_code == 200
    page = response.text
    assert "Fichier « réseau.xlsx » : 3 lignes lues." in page
    assert response.context["analysis"].invalid_rows == []
    assert "Même numéro RNA que « Déjà là », déjà inscrit." in page
    assert 'value="Importer 2 lieux"' in page
    payload = response.context["payload"]
    assert Place.objects.count() == 1  # a preview creates nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT_URL, {"payload": payload, "confirm": "1"}, follow=True)
    assert response.redirect_chain[0][0].endswith("/admin/members/place/?status__exact=applicant")
    assert (
        "2 lieu(x) importé(s) comme candidature(s), 2 invitation(s) envoyée(s) à leurs "
        "contacts ; 1 doublon(s) ignoré(s)." in response.text
    )
    assert Place.objects.count() == 3 and len(mail.outbox) == 2
    # Confirming the same preview again (back button, double click) creates nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(IMPORT_URL, {"payload": payload, "confirm": "1"})
    assert Place.objects.count() == 3 and len(mail.outbox) == 2


def test_preview_with_invalid_rows_offers_no_confirmation(client, national):
    client.force_login(national)
    content = csv_bytes([line(1), line(2, rna="", siret="")])
    response = client.post(IMPORT_URL, {"file": upload(content)})
    page = response.text
    assert response.status_code == 200 and response.context["payload"] is None
    assert "Rien ne sera importé tant qu’une ligne est invalide" in page
    assert "Indiquez au moins un identifiant" in page and 'name="payload"' not in page
    assert 'type="file"' in page  # the corrected file is uploaded from here


def test_a_refused_confirmation_shows_the_preview_again(client, national):
    """Between the preview and the confirmation the file's activity was removed: the import is
    refused, nothing is created, and the preview is back with the reason, no upload needed."""
    activity = Activity.objects.create(name="Vannerie", slug="vannerie")
    client.force_login(national)
    content = csv_bytes([line(1, activités="Vannerie")], header=[*HEADER_FR, "activités"])
    payload = client.post(IMPORT_URL, {"file": upload(content)}).context["payload"]
    activity.delete()
    response = client.post(IMPORT_URL, {"payload": payload, "confirm": "1"})
    assert response.status_code == 200 and not Place.objects.exists()
    assert "Une ligne est invalide (ligne 2) : aucun lieu n’a été créé." in response.text
    assert "Activité inconnue : « Vannerie »." in response.text


def test_a_tampered_or_foreign_payload_is_refused(client, national, territorial):
    rows = read(csv_bytes([line(1)]))
    client.force_login(national)
    forged = signing.dumps({"by": national.pk, "rows": rows}, salt="autre", compress=True)
    others = sign_rows(rows, user=territorial, filename="a.csv")
    for payload in (forged, others, sign_rows(rows, user=national, filename="a.csv") + "x"):
        response = client.post(IMPORT_URL, {"payload": payload, "confirm": "1"}, follow=True)
        assert "Cet aperçu a expiré ou a été modifié" in response.text
    assert not Place.objects.exists()


def test_upload_errors_are_shown_on_the_form(client, national):
    client.force_login(national)
    response = client.post(IMPORT_URL, {"file": upload(b"nom;commune\nA;B\n")})
    assert response.status_code == 200
    assert "Colonne(s) manquante(s) : code postal, e-mail, RNA / SIRET." in response.text
    assert 'aria-invalid="true"' in response.text
    response = client.post(IMPORT_URL, {})
    assert "Ce champ est obligatoire." in response.text


def test_a_file_too_big_is_refused_on_the_form(client, national, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    client.force_login(national)
    response = client.post(IMPORT_URL, {"file": upload(csv_bytes([line(n) for n in range(3)]))})
    assert response.status_code == 200
    errors = response.text.split('id="id_file_errors"')[1].split("</ul>")[0]
    assert "Le fichier dépasse" in errors


def test_preview_in_english(client, national):
    client.force_login(national)
    client.cookies["django_language"] = "en"
    english = [dict(zip(HEADER_EN, line(1, siret="1").values(), strict=True))]
    response = client.post(IMPORT_URL, {"file": upload(csv_bytes(english, header=HEADER_EN))})
    assert "Invalid rows" in response.text
    assert "The SIRET has exactly 14 digits" in response.text


# --- 1,000 rows ----------------------------------------------------------------------------------


def network_file(size=1000, *, errors=True):
    """``size`` lines for places all over France: every 50th line has a deliberate error of a
    different kind, every 40th repeats an earlier line, lines 10, 20 … 100 are registered
    places already."""
    postcodes = ["35000", "29200", "69003", "13001", "59000", "20200", "97400", "01000", "75011"]
    mistakes = [
        {"siret": "73282932000075", "rna": ""},
        {"rna": "W12"},
        {"code postal": "00000"},
        {"e-mail": "personne@"},
        {"nom": ""},
        {"activités": "Astronomie lunaire"},
        {"rna": "", "siret": ""},
        {"commune": ""},
    ]
    activity = Activity.objects.first().name
    lines = []
    for n in range(size):
        values = line(n, **{"code postal": postcodes[n % len(postcodes)], "activités": activity})
        if n and n % 40 == 0:
            values = dict(lines[n - 7])  # the same place again
        if errors and n % 50 == 25:
            values.update(mistakes[(n // 50) % len(mistakes)])
        lines.append(values)
    return lines


def test_a_thousand_rows_with_deliberate_errors(
    client, national, django_capture_on_commit_callbacks
):
    for n in range(10, 101, 10):  # already registered
        factories.PlaceFactory(rna=f"W{700000000 + n}", siret=factories.siret_with_luhn(n))
    header = [*HEADER_FR, "activités"]
    client.force_login(national)
    before = Place.objects.count()

    response = client.post(IMPORT_URL, {"file": upload(csv_bytes(network_file(), header=header))})
    analysis = response.context["analysis"]
    assert analysis.rows == 1000
    assert len(analysis.invalid_rows) == 20 and response.context["payload"] is None
    assert {p.column for p in analysis.problems} == {
        "SIRET",
        "RNA",
        "code postal",
        "e-mail",
        "nom",
        "activités",
        "RNA / SIRET",
        "commune",
    }
    with pytest.raises(imports.ImportRefused):
        imports.import_places(rows=read(csv_bytes(network_file(), header=header)), by=national)
    assert Place.objects.count() == before and not Invitation.objects.exists()

    # The errors corrected: upload, preview and confirm, timed.
    content = csv_bytes(network_file(errors=False), header=header)
    started = time.perf_counter()
    response = client.post(IMPORT_URL, {"file": upload(content, "reseau.csv")})
    analysis = response.context["analysis"]
    duplicates = len(analysis.duplicates)
    assert not analysis.problems and len(analysis.to_create) == 1000 - duplicates
    with django_capture_on_commit_callbacks(execute=True):  # the invitations are sent
        response = client.post(
            IMPORT_URL, {"payload": response.context["payload"], "confirm": "1"}, follow=True
        )
    elapsed = time.perf_counter() - started
    created = 1000 - duplicates
    print(f"\n1,000 rows on {connection.vendor}: preview + import + invitations in {elapsed:.1f} s")
    assert elapsed < 30, f"{elapsed:.1f} s"
    assert duplicates == 8 + 24  # registered places (40 and 80 are repeats), repeated lines
    assert Place.objects.count() == before + created
    assert Invitation.objects.count() == created == len(mail.outbox)
    assert PlaceTransition.objects.filter(by=national).count() == created

    # The same file again: nothing new.
    response = client.post(IMPORT_URL, {"file": upload(content, "reseau.csv")})
    assert response.context["analysis"].to_create == [] and response.context["payload"] is None
    assert Place.objects.count() == before + created


def test_an_xlsx_that_unpacks_too_big_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED", 1000)
    with pytest.raises(imports.ImportFileError, match="trop volumineux"):
        read(xlsx_bytes([line(1)]), "lieux.xlsx")
