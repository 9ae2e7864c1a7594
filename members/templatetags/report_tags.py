"""Small helpers of the reporting pages: status badges."""

from django import template

from members.models import Report, ReportingStatus
from members.models.reports import LEVEL_DESCRIPTIONS
from members.services.reports import Phase

register = template.Library()

BADGES = {
    ReportingStatus.NOT_STARTED: "text-bg-light border",
    ReportingStatus.DRAFT: "text-bg-secondary",
    ReportingStatus.SUBMITTED: "text-bg-info",
    ReportingStatus.CHANGES_REQUESTED: "text-bg-warning",
    ReportingStatus.APPROVED: "text-bg-success",
    ReportingStatus.LATE: "text-bg-danger",
    ReportingStatus.NON_COMMUNICATING: "badge-non-communicating",
    Phase.UPCOMING: "text-bg-light border",
    Phase.OPEN: "text-bg-primary",
    Phase.CLOSED: "text-bg-secondary",
}


@register.filter
def badge_class(status):
    """{{ status|badge_class }}: the Bootstrap classes of a status or phase badge."""
    return BADGES.get(status, "text-bg-light border")


@register.filter
def status_label(status):
    """{{ report.status|status_label }}: the label of a report or reporting status."""
    for choices in (ReportingStatus, Report.Status, Phase):
        if status in choices.values:
            return choices(status).label
    return status


@register.filter
def level_description(level):
    """{{ answer.level|level_description }}: what that step of the scale means."""
    return LEVEL_DESCRIPTIONS.get(level, "")


@register.filter
def hidden_initial(bound_field):
    """{{ form.narrative|hidden_initial }}: the value as loaded, for ``changed_data``."""
    return bound_field.as_hidden(only_initial=True)
