"""External surveys: the model's rules, the field list from CSV, the questions asked in the
indicators step, the report page, and the round trip to the coordinators' export."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from members.models import Report, Survey, SurveyAnswer, SurveyField
from members.services import reports as report_services
from members.services import surveys as survey_services
from tests import factories
from tests.reports.conftest import REQUIRED_VALUES, complete

pytestmark = pytest.mark.django_db

Source, Kind = SurveyField.Source, SurveyField.Kind


@pytest.fixture
def survey(campaign):
    return factories.external_survey(campaign)


def question(survey, code):
    return survey.fields.get(code=code)


def indicators_url(report):
    return reverse("members:report_indicators", args=[report.place.slug, report.campaign.year])


def indicator_data(**extra):
    data = {f"ind_{key}": str(value) for key, value in REQUIRED_VALUES.items()}
    return {**data, "then": "stay", **extra}


def answer_name(survey, code):
    return f"enquete_{question(survey, code).pk}"


# --- The model's rules, in the database ------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"code": "NB_BENEVOLES", "source": Source.ASK},  # a code twice in one survey
        {"code": "X", "source": Source.INDICATOR},  # an indicator source without its indicator
        {"code": "X", "kind": Kind.CHOICE, "source": Source.ASK},  # a choice without values
        {"code": "X", "source": Source.COMMITMENT},  # a commitment level without its key
        {"code": "X", "source": Source.PLACE, "place_field": "notes"},  # outside the list
        {"code": "X", "kind": "colour", "source": Source.ASK},
    ],
)
def test_database_refuses_a_field_breaking_a_rule(survey, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyField.objects.create(survey=survey, label="Champ", **fields)


def test_database_refuses_a_second_answer_and_an_empty_one(survey, report):
    asked = question(survey, "NB_PARTEN")
    SurveyAnswer.objects.create(report=report, field=asked, value="3")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswer.objects.create(report=report, field=asked, value="4")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswer.objects.create(report=report, field=question(survey, "ACT_JEUNES"), value="")


def test_a_survey_once_a_year(survey):
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(name=survey.name, year=survey.year)


def test_clean_names_the_missing_reference_and_clears_the_others(survey):
    field = SurveyField(survey=survey, code="Y", label="Y", source=Source.COMMITMENT)
    field.commitment_key = "pas-une-cle"
    field.constant = "reste d’un autre choix"
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert set(error.value.message_dict) == {"commitment_key"}
    assert field.constant == ""
    field = SurveyField(survey=survey, code="Z", label="Z", kind=Kind.INTEGER)
    field.source, field.constant = Source.CONSTANT, "douze"
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert set(error.value.message_dict) == {"constant"}


def test_surveys_of_a_campaign(campaign, survey):
    """Attached to the campaign, or of its year with no campaign; never another year's."""
    loose = Survey.objects.create(name="Recensement du Finistère", year=campaign.year)
    Survey.objects.create(name="Autre année", year=campaign.year - 1)
    other = factories.CampaignFactory(year=campaign.year + 1)
    Survey.objects.create(name="Attachée ailleurs", year=campaign.year, campaign=other)
    assert set(Survey.objects.for_campaign(campaign)) == {survey, loose}


# --- The field list from CSV -----------------------------------------------------------------

HEADER = "code;label;label_en;type;allowed values;source;source reference\n"


def test_import_a_valid_field_list(campaign, coordinator):
    survey = Survey.objects.create(name="Enquête du département", year=campaign.year)
    SurveyField.objects.create(survey=survey, code="ETP", label="Ancien libellé", kind="decimal")
    content = (
        "\ufeff" + HEADER + "NOM;Nom du lieu;Name;text;;place;name\n"
        "ETP;Équivalents temps plein;FTE;decimal;;indicator;etp\n"
        "PUBLIC;Public principal;Main public;choice;familles|jeunes|seniors;ask;\n"
        ";;;;;;\n"
        "ANNEE;Année;Year;integer;;constant;2026\n"
    )
    created, updated = survey_services.import_field_list(
        survey=survey, by=coordinator, content=content
    )
    assert (created, updated) == (3, 1)
    fields = list(survey.fields.order_by("position", "pk"))
    assert [f.code for f in fields] == ["NOM", "ETP", "PUBLIC", "ANNEE"]
    assert fields[0].place_field == "name"
    assert fields[1].label == "Équivalents temps plein" and fields[1].indicator.key == "etp"
    assert fields[2].allowed_values() == ["familles", "jeunes", "seniors"]
    assert fields[3].constant == "2026"


def test_import_refuses_every_bad_row_and_saves_nothing(campaign, coordinator):
    survey = Survey.objects.create(name="Enquête du département", year=campaign.year)
    content = (
        HEADER + "OK;Correct;;integer;;ask;\n"
        "A;Type inconnu;;couleur;;ask;\n"
        "B;Indicateur inconnu;;integer;;indicator;pas-un-indicateur\n"
        "C;Choix sans valeurs;;choice;;ask;\n"
        "OK;Code répété;;text;;ask;\n"
        "D;Champ privé;;text;;place;notes\n"
    )
    with pytest.raises(survey_services.SurveyImportError) as error:
        survey_services.import_field_list(survey=survey, by=coordinator, content=content)
    rows = {(row, column) for row, column, _reason in error.value.errors}
    assert rows == {
        (3, "type"),
        (4, "source reference"),
        (5, "allowed values"),
        (6, "code"),
        (7, "source reference"),
    }
    assert not survey.fields.exists()


def test_import_errors_speak_the_coordinators_language(campaign, coordinator):
    survey = Survey.objects.create(name="Enquête du département", year=campaign.year)
    with translation.override("en"), pytest.raises(survey_services.SurveyImportError) as error:
        survey_services.import_field_list(
            survey=survey, by=coordinator, content=HEADER + "A;Type;;colour;;ask;\n"
        )
    assert "unknown type" in error.value.errors[0][2]
    assert "rien n’a été importé" not in str(error.value)


def test_import_without_the_header_names_the_missing_columns(campaign, coordinator):
    survey = Survey.objects.create(name="Enquête du département", year=campaign.year)
    with pytest.raises(survey_services.SurveyImportError) as error:
        survey_services.import_field_list(survey=survey, by=coordinator, content="code;label\n")
    assert error.value.errors[0][:2] == (
        1,
        "label_en, type, allowed values, source, source reference",
    )


def test_import_is_for_coordinators_who_may_change_surveys(campaign, territorial, editor):
    survey = Survey.objects.create(name="Enquête du département", year=campaign.year)
    for user in (territorial, editor):
        with pytest.raises(survey_services.MembersError):
            survey_services.import_field_list(
                survey=survey, by=user, content=HEADER + "A;Un;;integer;;ask;\n"
            )
    assert not survey.fields.exists()


def test_admin_import_page_shows_the_refused_rows(client, coordinator, campaign):
    survey = Survey.objects.create(name="Enquête du département", year=campaign.year)
    client.force_login(coordinator)
    url = reverse("admin:members_survey_import", args=[survey.pk])
    assert client.get(url).status_code == 200
    bad = io.BytesIO((HEADER + "A;Type inconnu;;couleur;;ask;\n").encode())
    bad.name = "champs.csv"
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert response.context["errors"][0][:2] == (2, "type")
    assert "Lignes refusées" in response.content.decode()
    good = io.BytesIO((HEADER + "A;Nombre d’ateliers;Workshops;integer;;ask;\n").encode())
    good.name = "champs.csv"
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert survey.fields.get().label_en == "Workshops"


# --- The questions in the indicators step ----------------------------------------------------


def test_indicators_step_asks_the_surveys_questions_in_the_readers_language(
    client, editor, report, survey
):
    client.force_login(editor)
    html = client.get(indicators_url(report)).content.decode()
    assert "Pour l’enquête « SENACS 2026 »" in html
    assert "Menez-vous des actions pour les jeunes de 12 à 17 ans ?" in html
    assert "Nombre de bénévoles" not in html  # read from the indicator, never asked
    html = client.get(indicators_url(report), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Do you run activities for young people aged 12 to 17?" in html


def test_answers_are_saved_with_the_indicators(client, editor, report, survey):
    client.force_login(editor)
    data = indicator_data(
        **{answer_name(survey, "ACT_JEUNES"): "true", answer_name(survey, "NB_PARTEN"): "7"}
    )
    response = client.post(indicators_url(report), data)
    assert response.status_code == 302
    assert survey_services.answers_of(report) == {
        question(survey, "ACT_JEUNES").pk: "true",
        question(survey, "NB_PARTEN").pk: "7",
    }
    # Emptied: the answer goes.
    data[answer_name(survey, "NB_PARTEN")] = ""
    client.post(indicators_url(report), data)
    assert list(SurveyAnswer.objects.values_list("field__code", flat=True)) == ["ACT_JEUNES"]


def test_a_wrong_answer_saves_nothing_and_keeps_what_was_typed(client, editor, report, survey):
    client.force_login(editor)
    data = indicator_data(
        **{
            "ind_benevoles": "40",
            answer_name(survey, "ACT_JEUNES"): "peut-être",
            answer_name(survey, "NB_PARTEN"): "beaucoup",
        }
    )
    response = client.post(indicators_url(report), data)
    assert response.status_code == 200
    form = response.context["survey_form"]
    assert set(form.errors) == {answer_name(survey, "ACT_JEUNES"), answer_name(survey, "NB_PARTEN")}
    html = response.content.decode()
    assert 'value="beaucoup"' in html and 'value="40"' in html
    assert not SurveyAnswer.objects.exists()
    assert not report.indicator_values.exists()


def test_a_sent_report_is_read_only(client, editor, complete_report, survey):
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(editor)
    data = indicator_data(**{answer_name(survey, "NB_PARTEN"): "7"})
    response = client.post(indicators_url(complete_report), data)
    assert response.status_code == 302
    assert not SurveyAnswer.objects.exists()
    with pytest.raises(report_services.ReportingError):
        survey_services.save_survey_answers(
            report=complete_report, by=editor, values={question(survey, "NB_PARTEN"): 7}
        )


def test_the_service_takes_only_the_questions_of_the_reports_campaign(editor, report, survey):
    other = factories.external_survey(factories.CampaignFactory(year=2030), name="Autre")
    with pytest.raises(report_services.ReportingError):
        survey_services.save_survey_answers(
            report=report, by=editor, values={question(other, "NB_PARTEN"): 7}
        )
    with pytest.raises(report_services.ReportingError):  # a mapped field is never asked
        survey_services.save_survey_answers(
            report=report, by=editor, values={question(survey, "COMMUNE"): "Brest"}
        )
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("viewer", 403), ("outsider", 404)],  # a reader of the place; a member of another place
)
def test_who_may_not_edit_the_report_cannot_answer(client, request, role, status, report, survey):
    user = request.getfixturevalue(role)
    client.force_login(user)
    data = indicator_data(**{answer_name(survey, "NB_PARTEN"): "7"})
    assert client.post(indicators_url(report), data).status_code == status
    with pytest.raises(report_services.ReportingError):
        survey_services.save_survey_answers(
            report=report, by=user, values={question(survey, "NB_PARTEN"): 7}
        )
    assert not SurveyAnswer.objects.exists()


def test_report_page_lists_the_surveys_it_feeds(client, viewer, report, survey):
    Survey.objects.create(name="Autre année", year=report.campaign.year - 1)
    client.force_login(viewer)
    response = client.get(
        reverse("members:report_detail", args=[report.place.slug, report.campaign.year])
    )
    html = response.content.decode()
    assert "Enquêtes alimentées par ce bilan" in html
    assert "SENACS (2026)" in html
    assert "Autre année" not in html


# --- The round trip: defined, asked, answered, sent, approved, exported -----------------------


def read_csv(response):
    assert response.status_code == 200
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(raw)))


def test_round_trip_to_the_export(client, editor, coordinator, report, survey):
    absent = factories.MemberPlaceFactory(name="Zèbre, lieu sans bilan", commune="Quimper")
    client.force_login(editor)
    complete(report, editor)  # every commitment at level 3
    data = indicator_data(
        **{answer_name(survey, "ACT_JEUNES"): "false", answer_name(survey, "NB_PARTEN"): "5"}
    )
    assert client.post(indicators_url(report), data).status_code == 302
    report_services.submit_report(report=report, by=editor)
    report_services.approve_report(report=report, by=coordinator)
    assert Report.objects.get(pk=report.pk).status == Report.Status.APPROVED

    client.force_login(coordinator)
    rows = read_csv(client.get(reverse("admin:members_survey_export_csv", args=[survey.pk])))
    assert rows[0] == ["Lieu", *factories.SURVEY_CODES]
    by_place = {row[0]: row[1:] for row in rows[1:]}
    assert by_place[report.place.name] == ["12", "3", report.place.commune, "FCSF", "non", "5"]
    assert by_place[absent.name] == ["", "", "Quimper", "FCSF", "", ""]

    response = client.get(reverse("admin:members_survey_export_xlsx", args=[survey.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="enquete-senacs-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Réponses", "Complétude"]
    answers = list(book["Réponses"].iter_rows(values_only=True))
    assert answers[0] == ("Lieu", *factories.SURVEY_CODES)
    assert (report.place.name, 12, "3", report.place.commune, "FCSF", "non", 5) in answers
    completeness = list(book["Complétude"].iter_rows(values_only=True))
    assert completeness == [
        ("Lieu", "Champs manquants", "Codes manquants"),
        (absent.name, 4, "NB_BENEVOLES, NIV_GOUV, ACT_JEUNES, NB_PARTEN"),
    ]


def test_a_draft_feeds_no_export(client, editor, coordinator, report, survey):
    """Only sent reports: a draft's answers stay with the place until it sends them."""
    survey_services.save_survey_answers(
        report=report, by=editor, values={question(survey, "NB_PARTEN"): 9}
    )
    client.force_login(coordinator)
    rows = read_csv(client.get(reverse("admin:members_survey_export_csv", args=[survey.pk])))
    assert rows[1][0] == report.place.name and rows[1][-1] == ""
