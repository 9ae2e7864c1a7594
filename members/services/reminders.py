"""Escalating reminders: what is due on a given day, and sending it once.

Each kind has a trigger day (the campaign's opening, 30 and 7 days before the due date, the day
after it, 15 days before the place becomes non-communicating, the publication of a version that
requires re-signing, 30 days before its grace period ends, 7 days after an invitation). A
reminder is due from its trigger day for ``CATCH_UP_DAYS`` days, so that a missed cron run is
caught up, and never twice: every automatic reminder is logged in ``ReminderLog``, under a
unique constraint.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from charter.models import CharterVersion
from core import mail
from members.models import (
    Invitation,
    Membership,
    Place,
    ReminderLog,
    ReportingCampaign,
    ReportingStatus,
    Signature,
    SignaturePolicy,
)

logger = logging.getLogger(__name__)

Kind = ReminderLog.Kind
CATCH_UP_DAYS = 3
REPORT_KINDS = {
    Kind.CAMPAIGN_OPEN,
    Kind.DUE_IN_30,
    Kind.DUE_IN_7,
    Kind.LATE,
    Kind.NON_COMMUNICATING_IN_15,
}
RESIGN_KINDS = {Kind.RESIGN_REQUIRED, Kind.RESIGN_IN_30}
# A report not sent yet, the only ones reminded (never a place that has submitted).
PENDING_STATUSES = [ReportingStatus.NOT_STARTED, ReportingStatus.DRAFT, ReportingStatus.LATE]


class ReminderError(Exception):
    """A reminder that makes no sense for this place now (nothing to remind)."""


class ReminderLimitError(ReminderError):
    """The place was reminded by hand today already: once a day is enough."""


@dataclass
class DueReminder:
    place: Place
    kind: str
    campaign: ReportingCampaign | None = None
    version: CharterVersion | None = None
    invitation: Invitation | None = None
    context: dict = field(default_factory=dict)


def _window(today, trigger):
    return trigger <= today < trigger + timedelta(days=CATCH_UP_DAYS)


def _not_logged(kind, **subject):
    return ~models.Exists(
        ReminderLog.objects.filter(
            place=models.OuterRef("pk"), kind=kind, is_automatic=True, **subject
        )
    )


# --- What is due ----------------------------------------------------------------------------


def _campaign_reminders(today):
    # Campaigns whose reminders may still run (extensions may push a due date: + 1 year).
    campaigns = ReportingCampaign.objects.filter(
        opens_on__lte=today, due_on__gte=today - timedelta(days=730)
    )
    for campaign in campaigns:
        members = Place.objects.filter(status=Place.Status.MEMBER).with_reporting_status(
            campaign, today
        )
        if _window(today, campaign.opens_on):
            places = members.filter(reporting_status__in=PENDING_STATUSES).filter(
                _not_logged(Kind.CAMPAIGN_OPEN, campaign=campaign)
            )
            for place in places:
                yield DueReminder(place, Kind.CAMPAIGN_OPEN, campaign=campaign)
        # Trigger = effective due date + offset; due in the window ⇔ due date in
        # (today - offset - CATCH_UP_DAYS, today - offset].
        offsets = {
            Kind.DUE_IN_30: -30,
            Kind.DUE_IN_7: -7,
            Kind.LATE: 1,
            Kind.NON_COMMUNICATING_IN_15: campaign.grace_days + 1 - 15,
        }
        for kind, offset in offsets.items():
            latest_due = today - timedelta(days=offset)
            places = members.filter(
                reporting_status__in=PENDING_STATUSES,
                effective_due_on__lte=latest_due,
                effective_due_on__gt=latest_due - timedelta(days=CATCH_UP_DAYS),
            ).filter(_not_logged(kind, campaign=campaign))
            for place in places:
                yield DueReminder(place, kind, campaign=campaign)


def _places_to_resign(version, policy):
    """Member places with a valid signature of an older version, none of ``version`` or later."""
    valid = Signature.objects.valid(policy).filter(place=models.OuterRef("pk"))
    return Place.objects.filter(status=Place.Status.MEMBER).filter(
        models.Exists(valid.filter(version__number__lt=version.number)),
        ~models.Exists(
            Signature.objects.filter(
                place=models.OuterRef("pk"), version__number__gte=version.number
            )
        ),
    )


def _resign_reminders(today, now):
    policy = SignaturePolicy(now)
    versions = CharterVersion.objects.public().filter(
        requires_resigning=True, published_at__isnull=False
    )
    for version in versions:
        deadline = version.published_at + timedelta(days=version.grace_period_days)
        if deadline <= now:
            continue
        deadline_day = timezone.localtime(deadline).date()
        triggers = {
            Kind.RESIGN_REQUIRED: timezone.localtime(version.published_at).date(),
            Kind.RESIGN_IN_30: deadline_day - timedelta(days=30),
        }
        for kind, trigger in triggers.items():
            if not _window(today, trigger):
                continue
            places = _places_to_resign(version, policy).filter(_not_logged(kind, version=version))
            for place in places:
                yield DueReminder(place, kind, version=version, context={"deadline": deadline_day})


def _invitation_reminders(today, now):
    start = timezone.make_aware(
        datetime.combine(today - timedelta(days=7 + CATCH_UP_DAYS - 1), time.min)
    )
    end = now - timedelta(days=7)
    invitations = (
        Invitation.objects.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            created_at__gte=start,
            created_at__lte=end,
        )
        .exclude(
            models.Exists(
                ReminderLog.objects.filter(
                    invitation=models.OuterRef("pk"),
                    kind=Kind.INVITATION_PENDING,
                    is_automatic=True,
                )
            )
        )
        .select_related("place")
    )
    for invitation in invitations:
        yield DueReminder(invitation.place, Kind.INVITATION_PENDING, invitation=invitation)


def due_reminders(today=None):
    """Every automatic reminder due on ``today`` and not sent yet."""
    today = today or timezone.localdate()
    now = timezone.now()
    if today != timezone.localdate():
        # A date given on the command line: reason as of the end of that day.
        now = timezone.make_aware(datetime.combine(today, time.max))
    return [
        *_campaign_reminders(today),
        *_resign_reminders(today, now),
        *_invitation_reminders(today, now),
    ]


# --- Who receives it, in which language -----------------------------------------------------


def recipients_for(reminders):
    """{id(reminder): [User or address, ...]} with one query for the teams."""
    place_ids = {r.place.pk for r in reminders if r.kind != Kind.INVITATION_PENDING}
    teams = defaultdict(list)
    memberships = (
        Membership.objects.filter(place_id__in=place_ids, user__is_active=True)
        .exclude(role=Membership.Role.VIEWER)
        .select_related("user")
        .order_by("place_id", "user__email")
    )
    for membership in memberships:
        teams[membership.place_id].append(membership)
    result = {}
    for reminder in reminders:
        if reminder.invitation:
            result[id(reminder)] = [reminder.invitation.email]
            continue
        roles = {Membership.Role.REPRESENTATIVE}
        if reminder.kind in REPORT_KINDS:
            roles.add(Membership.Role.EDITOR)  # editors write the reports
        result[id(reminder)] = [m.user for m in teams[reminder.place.pk] if m.role in roles]
    return result


def reminder_context(reminder):
    """What the templates ``emails/reminder_<kind>*.txt`` show."""
    context = {
        "place": reminder.place,
        "campaign": reminder.campaign,
        "version": reminder.version,
        "invitation": reminder.invitation,
        "portal_url": mail.absolute_url(reverse("members:dashboard")),
        **reminder.context,
    }
    if reminder.version:
        signed = (
            Signature.objects.filter(
                place=reminder.place, version__number__lt=reminder.version.number
            )
            .order_by("-version__number")
            .values_list("version__number", flat=True)
            .first()
        )
        if signed:  # what changed since the text the place signed
            context["diff_url"] = mail.absolute_url(reminder.version.get_diff_url(since=signed))
    if reminder.invitation:
        context["accept_url"] = mail.absolute_url(
            reverse("members:invitation", args=[reminder.invitation.token])
        )
    if reminder.campaign:
        context["due_on"] = getattr(reminder.place, "effective_due_on", None) or (
            reminder.campaign.due_on
        )
        context["grace_ends_on"] = context["due_on"] + timedelta(days=reminder.campaign.grace_days)
    return context


# --- Sending --------------------------------------------------------------------------------


def address(recipient):
    return recipient if isinstance(recipient, str) else recipient.email


def send_reminder(reminder, recipients, *, today, by=None):
    """Log ``reminder`` and enqueue one e-mail per recipient; None if already sent."""
    if not recipients:
        return None
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                place=reminder.place,
                kind=reminder.kind,
                campaign=reminder.campaign,
                version=reminder.version,
                invitation=reminder.invitation,
                sent_on=today,
                recipients=", ".join(address(recipient) for recipient in recipients),
                is_automatic=by is None,
                sent_by=by,
            )
            # In the same transaction: with the database backend, the log and the queued
            # e-mails are saved together or not at all.
            context = reminder_context(reminder)
            for recipient in recipients:
                mail.send_now(recipient, f"reminder_{reminder.kind}", context)
    except IntegrityError:
        # Sent meanwhile by a concurrent run.
        return None
    return log


def send_due_reminders(today=None, dry_run=False):
    """Send every due reminder; returns [(reminder, recipients, log)]."""
    today = today or timezone.localdate()
    reminders = due_reminders(today)
    recipients = recipients_for(reminders)
    results = []
    for reminder in reminders:
        to = recipients[id(reminder)]
        log = None if dry_run else send_reminder(reminder, to, today=today)
        if dry_run or log is not None:
            results.append((reminder, to, log))
    return results


# --- By hand, from the admin ----------------------------------------------------------------


def _report_kind_for(place, campaign, today):
    annotated = Place.objects.with_reporting_status(campaign, today).get(pk=place.pk)
    status = annotated.reporting_status
    if status not in PENDING_STATUSES:
        return None, annotated
    if status == ReportingStatus.LATE:
        grace_end = annotated.effective_due_on + timedelta(days=campaign.grace_days)
        if (grace_end - today).days <= 15:
            return Kind.NON_COMMUNICATING_IN_15, annotated
        return Kind.LATE, annotated
    days_left = (annotated.effective_due_on - today).days
    if days_left <= 7:
        return Kind.DUE_IN_7, annotated
    if days_left <= 30:
        return Kind.DUE_IN_30, annotated
    return Kind.CAMPAIGN_OPEN, annotated


def suggested_kind(place, today=None):
    """The most useful reminder for ``place`` now, or None."""
    today = today or timezone.localdate()
    policy = SignaturePolicy()
    if (
        policy.resign_version
        and _places_to_resign(policy.resign_version, policy).filter(pk=place.pk).exists()
    ):
        if (timezone.localtime(policy.deadline).date() - today).days <= 30:
            return Kind.RESIGN_IN_30
        return Kind.RESIGN_REQUIRED
    campaign = ReportingCampaign.objects.current(today)
    if campaign and place.status == Place.Status.MEMBER:
        kind, _annotated = _report_kind_for(place, campaign, today)
        if kind:
            return kind
    if any(invitation.is_pending for invitation in place.invitations.all()):
        return Kind.INVITATION_PENDING
    return None


def send_manual_reminder(*, place, kind, by, today=None):
    """Send ``kind`` to ``place`` now, on a coordinator's request; returns the logs.

    Raises ReminderError when there is nothing to remind (report already sent, no campaign
    open, no pending invitation, no one to write to), ReminderLimitError when the place was
    reminded by hand today already.
    """
    today = today or timezone.localdate()
    kind = Kind(kind)
    # Once per place and per day, whoever asks and whatever the kind: the log is the counter.
    if ReminderLog.objects.filter(place=place, is_automatic=False, sent_on=today).exists():
        raise ReminderLimitError("reminded by hand today already")
    reminders = []
    if kind in REPORT_KINDS:
        campaign = ReportingCampaign.objects.current(today)
        if campaign is None:
            raise ReminderError("no campaign open")
        actual, annotated = _report_kind_for(place, campaign, today)
        if actual is None:
            raise ReminderError("report already sent")
        reminders.append(DueReminder(annotated, kind, campaign=campaign))
    elif kind in RESIGN_KINDS:
        policy = SignaturePolicy()
        version = policy.resign_version
        if version is None or not _places_to_resign(version, policy).filter(pk=place.pk).exists():
            raise ReminderError("nothing to sign again")
        deadline = timezone.localtime(policy.deadline).date()
        reminders.append(DueReminder(place, kind, version=version, context={"deadline": deadline}))
    else:
        for invitation in place.invitations.all():
            if invitation.is_pending:
                reminders.append(DueReminder(place, kind, invitation=invitation))
    recipients = recipients_for(reminders)
    logs = [
        send_reminder(reminder, recipients[id(reminder)], today=today, by=by)
        for reminder in reminders
    ]
    logs = [log for log in logs if log is not None]
    if not logs:
        raise ReminderError("no recipient")
    return logs


def as_of(value):
    """Parse a YYYY-MM-DD date (for --date)."""
    return date.fromisoformat(value)
