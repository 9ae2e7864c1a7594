"""Fixtures of the reporting tests: a signed member place, an open campaign, a draft."""

from decimal import Decimal

import pytest

from members.models import Indicator
from members.services import reports as report_services
from tests import factories


@pytest.fixture
def signature(place):
    return factories.SignatureFactory(place=place)


@pytest.fixture
def campaign(db):
    campaign = factories.CampaignFactory(year=2026)
    campaign.indicators.set(Indicator.objects.all())
    return campaign


@pytest.fixture
def report(place, signature, campaign, editor):
    return report_services.create_report(place=place, campaign=campaign, by=editor)


REQUIRED_VALUES = {
    "benevoles": Decimal(12),
    "salaries": Decimal(3),
    "personnes-touchees": Decimal(450),
    "budget-total": Decimal(100000),
}


def complete(report, by, level="3"):
    """Answer every commitment and give every required indicator: ready to send."""
    answers = {
        answer.pk: {
            "level": level,
            "narrative": f"Ce que nous faisons pour {answer.commitment.key}.",
            "confirm": True,
        }
        for answer in report.answers.all()
    }
    indicators = {
        indicator: REQUIRED_VALUES.get(indicator.key)
        for indicator in report.campaign.indicators.all()
    }
    return report_services.save_answers(
        report=report, by=by, answers=answers, indicators=indicators
    )


@pytest.fixture
def complete_report(report, editor):
    return complete(report, editor)


@pytest.fixture
def sent(complete_report, editor):
    """The complete report, sent to the coordination."""
    return report_services.submit_report(report=complete_report, by=editor)


def answers_in_order(report, n):
    """The report's first ``n`` answers in reading order (part, then commitment), each with
    its commitment."""
    return list(
        report.answers.select_related("commitment").order_by(
            "commitment__section__position", "commitment__position"
        )[:n]
    )


def first_answer(report):
    """The answer to the report's first commitment in reading order."""
    return answers_in_order(report, 1)[0]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(service, **kwargs): run a service and its on-commit e-mails."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run
