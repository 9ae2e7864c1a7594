"""The external surveys' questions in a report's indicators step, one field per question,
validated by the question's type, labelled in the reader's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import SurveyField

from .reports import FieldPerItemMixin

Kind = SurveyField.Kind


def _form_field(question):
    common = {"label": question.t_label(), "required": False}
    if question.kind == Kind.INTEGER:
        field = forms.IntegerField(min_value=0, localize=True, **common)
        field.widget.attrs.update({"inputmode": "numeric"})
    elif question.kind == Kind.DECIMAL:
        field = forms.DecimalField(max_digits=14, decimal_places=2, localize=True, **common)
        field.widget.attrs.update({"inputmode": "decimal"})
    elif question.kind == Kind.BOOLEAN:
        field = forms.TypedChoiceField(
            choices=[("", "—"), ("true", _("Oui")), ("false", _("Non"))],
            coerce=lambda value: value == "true",
            empty_value=None,
            **common,
        )
    elif question.kind == Kind.CHOICE:
        values = question.allowed_values()
        field = forms.ChoiceField(choices=[("", "—")] + [(v, v) for v in values], **common)
    elif question.kind == Kind.DATE:
        field = forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
        )
    else:
        field = forms.CharField(max_length=1000, **common)
    field.question = question
    return field


class SurveyQuestionsForm(FieldPerItemMixin, forms.Form):
    """``questions`` (kept as ``items``): the asked SurveyFields (``surveys.asked_fields``);
    ``answers``: {field pk: stored text}."""

    def __init__(self, *args, questions, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(questions)
        answers = answers or {}
        for question in self.items:
            name = self.field_name(question)
            self.fields[name] = _form_field(question)
            value = question.read(answers.get(question.pk))
            if value is not None:
                if question.kind == Kind.BOOLEAN:
                    value = "true" if value else "false"
                self.initial[name] = value

    @staticmethod
    def field_name(question):
        return f"enquete_{question.pk}"

    def surveys(self):
        """[(survey, [bound fields])] in the questions' order."""
        return self.grouped_fields(lambda question: question.survey)
