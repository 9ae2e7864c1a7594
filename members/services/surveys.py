"""External surveys: the places' answers to the questions asked, the field list imported from
CSV, and the table of answers the exports write.

The answers' writers are the report's writers (``reports._require_writer``), on a report still
editable; the field list is changed by coordinators holding ``members.change_survey``.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from members.models import (
    Answer,
    Indicator,
    IndicatorValue,
    Report,
    Survey,
    SurveyAnswer,
    SurveyField,
)
from members.models.surveys import CHOICE_SEPARATOR, PLACE_FIELDS

from . import MembersError
from .reports import EDITABLE, SENT, ReportingError, _require_writer

TRUE, FALSE = "true", "false"


class SurveyImportError(MembersError):
    """Rows of a field list were refused: ``errors`` is [(row, column, reason)], nothing saved."""

    def __init__(self, errors):
        super().__init__(_("La liste des champs contient des erreurs : rien n’a été importé."))
        self.errors = errors


# --- Values: stored as text in a normal form, read back typed -----------------------------


def stored_value(field, value):
    """The text stored for ``value`` (what a form cleaned); "" for no answer. A choice must be
    one of the field's values: ``ValidationError`` otherwise."""
    if value is None or value == "":
        return ""
    Kind = SurveyField.Kind
    if field.kind == Kind.BOOLEAN:
        if isinstance(value, str):
            return value if value in (TRUE, FALSE) else ""
        return TRUE if value else FALSE
    if field.kind == Kind.DATE:
        return value.isoformat()
    if field.kind == Kind.CHOICE and str(value) not in field.allowed_values():
        raise ValidationError(
            _("« %(value)s » n’est pas une des valeurs permises.") % {"value": value}
        )
    return str(value).strip()


def export_value(field, value):
    """A value as a survey's column holds it: numbers as numbers, yes/no as "oui"/"non"."""
    if value is None or value == "":
        return None
    Kind = SurveyField.Kind
    if field.kind == Kind.BOOLEAN:
        return "oui" if value else "non"
    if field.kind == Kind.INTEGER and isinstance(value, Decimal):
        return int(value)
    if field.kind == Kind.DECIMAL and isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral() else value
    return value


# --- The places' answers -----------------------------------------------------------------


def asked_fields(campaign):
    """The questions a campaign's reports ask: the "to ask" fields of its surveys, in the
    surveys' order then their own."""
    return list(
        SurveyField.objects.filter(
            survey__in=Survey.objects.for_campaign(campaign), source=SurveyField.Source.ASK
        )
        .select_related("survey")
        .order_by("-survey__year", "survey__name", "survey__pk", "position", "pk")
    )


def answers_of(report):
    """{field pk: stored text} of a report's answers."""
    return dict(report.survey_answers.values_list("field_id", "value"))


@transaction.atomic
def save_survey_answers(*, report, by, values):
    """Save a report's answers to the survey questions: ``values`` is {SurveyField: the value
    a form cleaned, or None}. An empty value removes the answer. The report's writers only,
    while the report is editable; only questions its campaign asks."""
    _require_writer(report.place, by)
    status = (
        Report.objects.select_for_update().filter(pk=report.pk).values_list("status", flat=True)
    )
    if status.first() not in EDITABLE:
        raise ReportingError(_("Ce bilan a été envoyé : il ne peut plus être modifié."))
    asked = {field.pk for field in asked_fields(report.campaign)}
    current = {a.field_id: a for a in SurveyAnswer.objects.filter(report=report)}
    for field, value in values.items():
        if field.pk not in asked:
            raise ReportingError(_("Cette question n’est pas posée dans ce bilan."))
        try:
            text = stored_value(field, value)
        except ValidationError as error:
            raise ReportingError(error.messages[0]) from error
        answer = current.get(field.pk)
        if not text:
            if answer:
                answer.delete()
        elif answer is None:
            SurveyAnswer.objects.create(report=report, field=field, value=text)
        elif answer.value != text:
            answer.value = text
            answer.save(update_fields=["value", "updated_at"])


# --- The field list from CSV ----------------------------------------------------------------

# Columns of the CSV, in this order; the first line is the header.
COLUMNS = ("code", "label", "label_en", "type", "allowed values", "source", "source reference")


@dataclass
class _Row:
    number: int
    values: dict


def _read_rows(content):
    """[_Row] from the CSV text; commas or semicolons (French spreadsheets write the latter)."""
    text = content.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise SurveyImportError(
            [(1, ", ".join(missing), _("colonne absente de la première ligne"))]
        )
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: "" for name in COLUMNS}
        for name, cell in zip(header, cells, strict=False):
            if name in values:
                values[name] = cell.strip()
        rows.append(_Row(number, values))
    return rows


def _field_from_row(row, indicators):
    """(SurveyField not saved, [(column, reason)])."""
    values = row.values
    errors = []
    kinds = {kind.value for kind in SurveyField.Kind}
    sources = {source.value for source in SurveyField.Source}
    kind = values["type"].lower()
    source = values["source"].lower()
    reference = values["source reference"]
    if kind not in kinds:
        errors.append(("type", _("type inconnu, attendu : %s") % ", ".join(sorted(kinds))))
    if source not in sources:
        errors.append(("source", _("source inconnue, attendue : %s") % ", ".join(sorted(sources))))
    field = SurveyField(
        code=values["code"],
        label=values["label"],
        label_en=values["label_en"],
        kind=kind,
        choices=values["allowed values"],
        source=source,
    )
    if source == SurveyField.Source.INDICATOR:
        field.indicator = indicators.get(reference)
        if field.indicator is None:
            errors.append(("source reference", _("aucun indicateur n’a la clé « %s »") % reference))
    elif source == SurveyField.Source.COMMITMENT:
        field.commitment_key = reference
    elif source == SurveyField.Source.PLACE:
        field.place_field = reference
    elif source == SurveyField.Source.CONSTANT:
        field.constant = reference
    if not errors:
        try:
            field.full_clean(exclude=["survey", "indicator"], validate_unique=False)
        except ValidationError as error:
            columns = {
                "code": "code",
                "label": "label",
                "label_en": "label_en",
                "choices": "allowed values",
                "kind": "type",
                "source": "source",
            }
            for name, messages in error.message_dict.items():
                for message in messages:
                    errors.append((columns.get(name, "source reference"), message))
    return field, errors


def check_field_list(content):
    """The fields of a CSV field list, unsaved; ``SurveyImportError`` listing every refused
    row (row number, column, reason) in the current language."""
    rows = _read_rows(content)
    indicators = {indicator.key: indicator for indicator in Indicator.objects.all()}
    fields, errors, seen = [], [], {}
    for row in rows:
        field, row_errors = _field_from_row(row, indicators)
        if field.code in seen:
            row_errors.append(
                ("code", _("code déjà donné à la ligne %(row)s") % {"row": seen[field.code]})
            )
        seen.setdefault(field.code, row.number)
        errors += [(row.number, column, reason) for column, reason in row_errors]
        fields.append(field)
    if not rows:
        errors.append((2, "code", _("aucune ligne de champ sous l’en-tête")))
    if errors:
        raise SurveyImportError(errors)
    return fields


@transaction.atomic
def import_field_list(*, survey, by, content):
    """Add or update a survey's fields from a CSV field list (``content``: its text), in the
    CSV's order. A field whose code is already there is updated (its answers are kept); the
    others stay, after the imported ones. All rows or none. Returns (created, updated)."""
    if not (by is not None and by.is_authenticated and by.has_perm("members.change_survey")):
        raise MembersError(_("Seule la coordination nationale définit les enquêtes."))
    fields = check_field_list(content)
    existing = {field.code: field for field in survey.fields.select_for_update()}
    created = updated = 0
    for position, field in enumerate(fields, start=1):
        field.survey = survey
        field.position = position
        if field.code in existing:
            field.pk = existing.pop(field.code).pk
            updated += 1
        else:
            created += 1
        field.save()
    for position, field in enumerate(existing.values(), start=len(fields) + 1):
        field.position = position
        field.save(update_fields=["position"])
    return created, updated


# --- The table the exports write ------------------------------------------------------------


@dataclass
class SurveyRow:
    place: object
    report: object
    values: list
    missing: list


def survey_fields(survey):
    return list(survey.fields.select_related("indicator").order_by("position", "pk"))


def survey_rows(survey, places, fields):
    """One ``SurveyRow`` per place of ``places`` (a Place queryset), the values in the order
    of ``fields``: from the place's sent report of the survey's campaign (indicators,
    commitment levels, answers to the questions asked), the place itself, or constants.

    Queries: the campaign, then per block of places: the places, their reports, the reports'
    indicator values, commitment answers and survey answers."""
    campaign = survey.report_campaign()
    Source = SurveyField.Source
    indicator_ids = [f.indicator_id for f in fields if f.source == Source.INDICATOR]
    commitment_keys = [f.commitment_key for f in fields if f.source == Source.COMMITMENT]
    asked_ids = [f.pk for f in fields if f.source == Source.ASK]
    reports = (
        Report.objects.filter(campaign=campaign, status__in=SENT)
        .only("pk", "place_id", "status")
        .prefetch_related(
            Prefetch(
                "indicator_values",
                IndicatorValue.objects.filter(indicator__in=indicator_ids).only(
                    "report_id", "indicator_id", "value"
                ),
                to_attr="survey_indicators",
            ),
            Prefetch(
                "answers",
                Answer.objects.filter(commitment__key__in=commitment_keys)
                .exclude(level="")
                .only("report_id", "level", "commitment__key")
                .select_related("commitment"),
                to_attr="survey_levels",
            ),
            Prefetch(
                "survey_answers",
                SurveyAnswer.objects.filter(field__in=asked_ids).only(
                    "report_id", "field_id", "value"
                ),
                to_attr="survey_asked",
            ),
        )
    )
    if campaign is None:
        reports = reports.none()
    places = places.prefetch_related(Prefetch("reports", reports, to_attr="survey_reports"))
    for place in places.iterator(chunk_size=2000):
        report = place.survey_reports[0] if place.survey_reports else None
        found = {}
        if report is not None:
            found[Source.INDICATOR] = {v.indicator_id: v.value for v in report.survey_indicators}
            found[Source.COMMITMENT] = {a.commitment.key: a.level for a in report.survey_levels}
            found[Source.ASK] = {a.field_id: a.value for a in report.survey_asked}
        values, missing = [], []
        for field in fields:
            value = _value(field, place, found)
            values.append(value)
            if value is None or value == "":
                missing.append(field)
        yield SurveyRow(place, report, values, missing)


def _value(field, place, found):
    Source = SurveyField.Source
    if field.source == Source.PLACE:
        if field.place_field not in PLACE_FIELDS:
            return None
        display = getattr(place, f"get_{field.place_field}_display", None)
        return display() if display else getattr(place, field.place_field)
    if field.source == Source.CONSTANT:
        return export_value(field, field.read(field.constant))
    if field.source == Source.INDICATOR:
        return export_value(field, found.get(Source.INDICATOR, {}).get(field.indicator_id))
    if field.source == Source.COMMITMENT:
        return found.get(Source.COMMITMENT, {}).get(field.commitment_key)
    text = found.get(Source.ASK, {}).get(field.pk)
    return export_value(field, field.read(text))


__all__ = [
    "CHOICE_SEPARATOR",
    "COLUMNS",
    "SurveyImportError",
    "SurveyRow",
    "answers_of",
    "asked_fields",
    "check_field_list",
    "export_value",
    "import_field_list",
    "save_survey_answers",
    "stored_value",
    "survey_fields",
    "survey_rows",
]
