"""The member pages of reporting: permissions, forms, conflicts, uploads, sanitising, PDF."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.models import Answer, Evidence, Indicator, Report
from members.services import reports as report_services
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, report, **extra):
    args = [report.place.slug, report.campaign.year]
    if name == "report_section":
        args.append(extra.get("position", 1))
    if name == "report_evidence":
        args.append(extra["pk"])
    return reverse(f"members:{name}", args=args)


def section_post(report, position=1, **overrides):
    """The POST data of a section form as the browser sends it, answers unchanged."""
    data = {}
    section = report.version.sections.get(position=position)
    for answer in report.answers.filter(commitment__section=section):
        prefix = f"a{answer.pk}"
        data.update(
            {
                f"{prefix}-revision": answer.revision,
                f"{prefix}-level": answer.level,
                f"{prefix}-na_reason": answer.na_reason,
                f"{prefix}-narrative": answer.narrative,
                f"{prefix}-actions": answer.actions,
            }
        )
    data.update(overrides)
    return data


def first_answer(report, position=1):
    return (
        report.answers.filter(commitment__section__position=position)
        .order_by("commitment__position")
        .first()
    )


# --- Permission matrix ----------------------------------------------------------------------

READ = ["report_detail", "report_preview", "report_print", "report_pdf"]
WRITE_GET = ["report_section", "report_indicators"]
WRITE_POST = ["report_submit", "report_publication"]


def _expected(role, name):
    if role == "anonymous":
        return 302
    if role == "outsider":
        return 404
    if role == "viewer" and name not in READ:
        return 403
    return 200


@pytest.mark.parametrize("role", ["anonymous", "outsider", "viewer", "editor", "representative"])
@pytest.mark.parametrize("name", READ + WRITE_GET)
def test_permission_matrix_get(client, request, report, role, name):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url(name, report))
    assert response.status_code == _expected(role, name)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "viewer", "editor"])
@pytest.mark.parametrize("name", WRITE_POST)
def test_permission_matrix_post(client, request, report, role, name):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(url(name, report), {"publish": "on"})
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "editor": 302}[role]
    assert response.status_code == expected
    if role in ("outsider", "viewer"):
        assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT


@pytest.mark.parametrize(
    ("role", "list_status", "start_status", "extension_status"),
    [
        ("outsider", 404, 404, 404),
        ("viewer", 200, 403, 403),
        ("editor", 200, 302, 403),
        ("representative", 200, 302, 200),
    ],
)
def test_permission_matrix_campaign_pages(
    client, request, place, signature, campaign, role, list_status, start_status, extension_status
):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("members:report_list", args=[place.slug])).status_code == list_status
    start = reverse("members:report_start", args=[place.slug, campaign.year])
    assert client.post(start).status_code == start_status
    extension = reverse("members:report_extension", args=[place.slug, campaign.year])
    assert client.get(extension).status_code == extension_status
    preview = reverse("members:report_markdown_preview", args=[place.slug])
    assert client.post(preview, {"text": "*a*"}).status_code == (
        200 if role in ("editor", "representative") else start_status
    )


def test_evidence_file_is_only_for_the_team(client, report, editor, viewer, outsider):
    answer = first_answer(report)
    evidence = Evidence.objects.create(
        answer=answer, file=SimpleUploadedFile("cr.pdf", b"%PDF-1.4 test"), label="CR"
    )
    client.force_login(viewer)
    response = client.get(url("report_evidence", report, pk=evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(url("report_evidence", report, pk=evidence.pk)).status_code == 404


def test_wrong_methods(client, report, editor):
    client.force_login(editor)
    assert client.get(url("report_submit", report)).status_code == 405
    assert client.get(url("report_publication", report)).status_code == 405
    assert client.post(url("report_detail", report)).status_code == 405
    start = reverse("members:report_start", args=[report.place.slug, report.campaign.year])
    assert client.get(start).status_code == 405


# --- Campaign list and start ------------------------------------------------------------------


def test_list_shows_status_and_starts_a_report(client, place, signature, campaign, editor):
    client.force_login(editor)
    response = client.get(reverse("members:report_list", args=[place.slug]))
    assert "Commencer le bilan" in response.text
    response = client.post(reverse("members:report_start", args=[place.slug, campaign.year]))
    report = Report.objects.get(place=place, campaign=campaign)
    assert response.url == url("report_section", report)
    response = client.get(reverse("members:report_list", args=[place.slug]))
    assert "Ouvrir le bilan" in response.text and "Brouillon" in response.text


def test_start_without_signature_gives_a_clear_message(client, place, campaign, editor):
    client.force_login(editor)
    response = client.post(
        reverse("members:report_start", args=[place.slug, campaign.year]), follow=True
    )
    assert "signé la charte" in response.text
    assert not Report.objects.exists()


def test_list_query_count(client, place, signature, campaign, editor, django_assert_num_queries):
    client.force_login(editor)
    page = reverse("members:report_list", args=[place.slug])
    client.get(page)
    # session, user, membership+place, campaigns (annotated), reports of the place,
    # signature policy (charter versions), latest valid signature
    with django_assert_num_queries(7):
        assert client.get(page).status_code == 200
    report_services.create_report(place=place, campaign=campaign, by=editor)
    for year in (2023, 2024, 2025):
        factories.CampaignFactory(year=year)
    with django_assert_num_queries(7):
        assert client.get(page).text.count("<h2") == 4


# --- The section form -------------------------------------------------------------------------


def test_save_section_and_find_it_intact(client, report, editor):
    client.force_login(editor)
    answer = first_answer(report)
    data = section_post(
        report,
        **{
            f"a{answer.pk}-level": "3",
            f"a{answer.pk}-narrative": "Nous accueillons **tout le monde**.",
            f"a{answer.pk}-actions": "Permanences ouvertes le samedi",
            f"a{answer.pk}-evidence_url": "https://example.org/article",
            f"a{answer.pk}-evidence_label": "Article du journal",
            "then": "stay",
        },
    )
    response = client.post(url("report_section", report), data)
    assert response.status_code == 302 and response.url == url("report_section", report)
    answer.refresh_from_db()
    assert (answer.level, answer.narrative, answer.updated_by) == (
        "3",
        "Nous accueillons **tout le monde**.",
        editor,
    )
    assert answer.evidence.get().label == "Article du journal"
    page = client.get(url("report_section", report)).text
    assert "Nous accueillons **tout le monde**." in page
    assert "1 / 18 engagements renseignés" in page
    assert 'value="3"' in page and "checked" in page


def test_save_and_next_goes_to_the_following_section(client, report, editor):
    client.force_login(editor)
    response = client.post(url("report_section", report), section_post(report, then="next"))
    assert response.url == url("report_section", report, position=2)
    last = report.version.sections.order_by("-position").first().position
    response = client.post(
        url("report_section", report, position=last),
        section_post(report, position=last, then="next"),
    )
    assert response.url == url("report_indicators", report)


def ambition(report):
    """The first ambition of the report, and its section's position: "non concerné" allowed."""
    section = report.version.sections.get(kind="ambitions")
    return first_answer(report, section.position), section.position


def test_not_applicable_without_reason_keeps_what_was_typed(client, report, editor):
    client.force_login(editor)
    answer, position = ambition(report)
    data = section_post(
        report,
        position,
        **{f"a{answer.pk}-level": "na", f"a{answer.pk}-narrative": "Texte précieux"},
    )
    response = client.post(url("report_section", report, position=position), data)
    assert response.status_code == 200
    assert "Indiquez pourquoi votre lieu n’est pas concerné" in response.text
    assert "Texte précieux" in response.text
    answer.refresh_from_db()
    assert answer.narrative == ""  # nothing saved


def test_invalid_link_is_refused(client, report, editor):
    client.force_login(editor)
    answer = first_answer(report)
    for bad in ("javascript:alert(1)", "pas une adresse", "ftp://example.org/x"):
        data = section_post(report, **{f"a{answer.pk}-evidence_url": bad})
        response = client.post(url("report_section", report), data)
        assert response.status_code == 200, bad
    assert not Evidence.objects.exists()


def test_a_concurrent_change_to_the_same_answer_shows_both_texts(
    client, report, editor, representative
):
    answer = first_answer(report)
    data = section_post(report, **{f"a{answer.pk}-narrative": "Écrit par le rédacteur"})
    report_services.save_answers(
        report=report,
        by=representative,
        answers={
            answer.pk: {"narrative": "Écrit par la représentante", "revision": answer.revision}
        },
    )
    client.force_login(editor)
    response = client.post(url("report_section", report), data)
    assert response.status_code == 200
    assert "a modifié cette réponse pendant que vous l’écriviez" in response.text
    assert "Écrit par la représentante" in response.text  # what they saved
    assert "Écrit par le rédacteur" in response.text  # what I typed, kept
    answer.refresh_from_db()
    assert answer.narrative == "Écrit par la représentante"
    # The page now carries their revision: saving again keeps what I typed, knowingly.
    assert f'name="a{answer.pk}-revision" value="{answer.revision}"' in response.text
    again = section_post(report, **{f"a{answer.pk}-narrative": "Écrit par le rédacteur"})
    client.post(url("report_section", report), again)
    answer.refresh_from_db()
    assert answer.narrative == "Écrit par le rédacteur"


def test_autosave_answers_json_and_saves_the_draft(client, report, editor):
    client.force_login(editor)
    answer = first_answer(report)
    data = section_post(report, **{f"a{answer.pk}-narrative": "Tapé puis laissé", "autosave": "1"})
    response = client.post(url("report_section", report), data)
    assert response.status_code == 200
    payload = response.json()
    assert payload["saved"] and " h " in payload["time"]
    answer.refresh_from_db()
    assert answer.narrative == "Tapé puis laissé"
    assert payload["revisions"][f"a{answer.pk}"] == answer.revision


def test_autosave_refused_keeps_nothing_half_done(client, report, editor):
    client.force_login(editor)
    answer, position = ambition(report)
    data = section_post(report, position, **{f"a{answer.pk}-level": "na", "autosave": "1"})
    response = client.post(url("report_section", report, position=position), data)
    assert response.status_code == 400
    assert "non enregistrées" in response.json()["message"]
    answer.refresh_from_db()
    assert answer.level == ""


def test_submitted_report_is_read_only(client, complete_report, editor):
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(editor)
    response = client.get(url("report_section", complete_report))
    assert response.status_code == 302 and response.url == url("report_detail", complete_report)
    answer = first_answer(complete_report)
    data = section_post(complete_report, **{f"a{answer.pk}-narrative": "Modifié après envoi"})
    client.post(url("report_section", complete_report), data)
    answer.refresh_from_db()
    assert answer.narrative != "Modifié après envoi"


def test_reviewer_comment_is_shown_next_to_the_answer(client, complete_report, editor, coordinator):
    report_services.submit_report(report=complete_report, by=editor)
    answer = first_answer(complete_report)
    report_services.request_changes(
        report=complete_report,
        by=coordinator,
        message="Quelques précisions",
        comments={answer.pk: "Donnez un exemple concret."},
    )
    client.force_login(editor)
    assert "Quelques précisions" in client.get(url("report_detail", complete_report)).text
    page = client.get(url("report_section", complete_report)).text
    assert "Donnez un exemple concret." in page
    response = client.post(url("report_submit", complete_report), {"message": "Voilà"})
    assert response.status_code == 302
    complete_report.refresh_from_db()
    assert complete_report.status == Report.Status.SUBMITTED


# --- Uploads ----------------------------------------------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "accepted", "stored_suffix"),
    [
        ("compte-rendu.pdf", b"%PDF-1.7\n...", True, ".pdf"),
        ("photo.png", png_bytes(), True, ".png"),
        ("photo.jpg", png_bytes(), True, ".png"),  # renamed to what it really is
        ("facture.pdf", b"<html><script>alert(1)</script></html>", False, None),
        ("image.png", b"MZ\x90\x00 executable", False, None),
        ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', False, None),
    ],
)
def test_upload_types_are_checked_by_content(
    client, report, editor, name, content, accepted, stored_suffix
):
    client.force_login(editor)
    answer = first_answer(report)
    data = section_post(
        report,
        **{
            f"a{answer.pk}-evidence_file": SimpleUploadedFile(name, content),
            f"a{answer.pk}-narrative": "Gardé",
        },
    )
    response = client.post(url("report_section", report), data)
    if accepted:
        assert response.status_code == 302
        assert answer.evidence.get().file.name.endswith(stored_suffix)
    else:
        assert response.status_code == 200
        assert "Seuls les fichiers PDF et les images" in response.text
        assert "Gardé" in response.text
        assert not Evidence.objects.exists()


def test_upload_larger_than_10_mb_is_refused(client, report, editor):
    client.force_login(editor)
    answer = first_answer(report)
    big = SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    data = section_post(report, **{f"a{answer.pk}-evidence_file": big})
    response = client.post(url("report_section", report), data)
    assert response.status_code == 200
    assert "la limite est de 10" in response.text
    assert not Evidence.objects.exists()


# --- Sanitising -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("narrative", "forbidden"),
    [
        ("<script>alert('x')</script>Bonjour", "<script"),
        ("[clic](javascript:alert(1))", "javascript:"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<a href="https://ok.example" onclick="alert(1)">lien</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ],
)
def test_narratives_are_sanitised_everywhere(client, report, editor, narrative, forbidden):
    answer = first_answer(report)
    Answer.objects.filter(pk=answer.pk).update(narrative=narrative, level="2")
    client.force_login(editor)
    for name in ("report_preview", "report_print"):
        body = client.get(url(name, report)).text
        section = body.split('id="engagement-' + answer.commitment.key, 1)[1][:2000]
        assert forbidden not in section, name
    preview = client.post(
        reverse("members:report_markdown_preview", args=[report.place.slug]), {"text": narrative}
    )
    assert forbidden not in preview.text


# --- Indicators -------------------------------------------------------------------------------


def test_indicators_validation(client, report, editor):
    client.force_login(editor)
    percentage = Indicator.objects.create(
        key="part-femmes", label="Part de femmes au conseil", kind=Indicator.Kind.PERCENTAGE
    )
    report.campaign.indicators.add(percentage)
    base = {"revision": report.revision}
    bad = {
        **base,
        "ind_benevoles": "-3",
        "ind_part-femmes": "120",
        "ind_budget-total": "1000",
        "ind_budget-ventes": "200",
        "ind_budget-public": "300",
        "ind_etp": "2,5",
    }
    response = client.post(url("report_indicators", report), bad)
    assert response.status_code == 200
    text = response.text
    assert "supérieure ou égale à 0" in text
    assert "inférieure ou égale à 100" in text
    assert "font 500" in text and "1000" in text
    assert 'value="2,5"' in text  # kept as typed
    assert not report.indicator_values.exists()
    good = {**bad, "ind_benevoles": "3", "ind_part-femmes": "40", "ind_budget-autres": "500"}
    response = client.post(url("report_indicators", report), good)
    assert response.status_code == 302
    values = {v.indicator.key: v.value for v in report.indicator_values.select_related("indicator")}
    assert values["etp"] == Decimal("2.5") and values["budget-autres"] == 500


def test_preview_lists_what_is_missing_then_submits(client, report, editor, complete_report):
    client.force_login(editor)
    response = client.get(url("report_preview", report))
    assert "Envoyer le bilan à la coordination" in response.text
    Answer.objects.filter(pk=first_answer(report).pk).update(level="")
    response = client.get(url("report_preview", report))
    assert "il reste à compléter" in response.text
    assert "Envoyer le bilan à la coordination" not in response.text
    response = client.post(url("report_submit", report), follow=True)
    assert "pas complet" in response.text
    assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT


def test_publication_toggle(client, report, editor):
    client.force_login(editor)
    client.post(url("report_publication", report), {})
    assert Report.objects.get(pk=report.pk).publish is False
    client.post(url("report_publication", report), {"publish": "on"})
    assert Report.objects.get(pk=report.pk).publish is True


def test_pdf_download(client, complete_report, viewer):
    client.force_login(viewer)
    response = client.get(url("report_pdf", complete_report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_extension_request_page(client, place, signature, campaign, representative):
    client.force_login(representative)
    page = reverse("members:report_extension", args=[place.slug, campaign.year])
    response = client.post(page, {"reason": ""})
    assert response.status_code == 200 and "obligatoire" in response.text
    response = client.post(page, {"reason": "Changement de bureau en juin"})
    assert response.status_code == 302
    assert place.extensions.get().reason == "Changement de bureau en juin"


def test_a_value_cannot_be_declared_not_applicable(client, report, editor):
    """Values and principles are conditions of membership: the form does not offer "non
    concerné", a forged POST is refused, and so is the service."""
    client.force_login(editor)
    value = first_answer(report)  # section 1: the values
    page = client.get(url("report_section", report)).content.decode()
    assert f'name="a{value.pk}-level" value="na"' not in page
    forged = section_post(
        report, **{f"a{value.pk}-level": "na", f"a{value.pk}-narrative": "Pas pour nous"}
    )
    response = client.post(url("report_section", report), forged)
    assert response.status_code == 200 and "Pas pour nous" in response.text
    value.refresh_from_db()
    assert value.level == ""
    with pytest.raises(report_services.ReportingError, match="condition d’adhésion"):
        report_services.save_answers(
            report=report, by=editor, answers={value.pk: {"level": "na", "na_reason": "Non"}}
        )
    ambition_answer, position = ambition(report)
    page = client.get(url("report_section", report, position=position)).content.decode()
    assert f'name="a{ambition_answer.pk}-level" value="na"' in page
