"""A report's life in its place's history: each step with its year and message, and the
coordinators' comments by commitment, read in the reader's language."""

import pytest
from django.utils import translation

from members.history import read
from members.models import PlaceEvent
from members.services import reports as report_services

pytestmark = pytest.mark.django_db

Code = PlaceEvent.Code


def texts(place, language):
    with translation.override(language):
        return [e.text for e in read(place.events.select_related("by").order_by("at", "pk"))]


def test_each_step_of_a_report_is_in_the_history(complete_report, editor, coordinator, place):
    report_services.submit_report(report=complete_report, by=editor)
    first, second = complete_report.answers.order_by("pk")[:2]
    report_services.request_changes(
        report=complete_report,
        by=coordinator,
        message="Précisez vos actions.",
        comments={first.pk: "Quelles actions ?", second.pk: ""},
    )
    assert texts(place, "fr") == [
        "Bilan 2026 commencé.",
        "Bilan 2026 : Brouillon → Envoyé.",
        f"La coordination a commenté le bilan 2026 : « {first.commitment.title} ».",
        "Bilan 2026 : Envoyé → Modifications demandées.",
    ]
    english = texts(place, "en")
    assert english[0] == "2026 report started."
    assert english[2] == (
        f"The coordinators commented on the 2026 report: “{first.commitment.title_en}”."
    )
    assert english[3].startswith("2026 report: Submitted → ")
    changes = place.events.get(code=Code.REPORT_STATUS, params__to="changes_requested")
    assert changes.params["message"] == "Précisez vos actions." and changes.by == coordinator


def test_an_unchanged_comment_is_not_recorded_again(complete_report, editor, coordinator, place):
    report_services.submit_report(report=complete_report, by=editor)
    answer = complete_report.answers.first()
    report_services.request_changes(
        report=complete_report, by=coordinator, message="Non", comments={answer.pk: "Et ?"}
    )
    report_services.resubmit_report(report=complete_report, by=editor)
    report_services.approve_report(
        report=complete_report, by=coordinator, comments={answer.pk: "Et ?"}
    )
    assert place.events.filter(code=Code.COORDINATOR_COMMENT).count() == 1
