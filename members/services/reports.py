"""Reporting on commitments: campaigns seen from a place, and every write on a report.

State transitions of a report happen here and nowhere else (views and the admin call these
functions). Each one is keyword-only, atomic, checks the current state, raises
``ReportingError`` with a translated message, leaves a ``ReportTransition`` row and sends its
e-mails after the commit, in each recipient's language.

    draft ──submit──▶ submitted ──approve──▶ approved
                        │   ▲
          request_changes   resubmit
                        ▼   │
                  changes_requested
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from charter.models import Commitment
from core import mail
from core.cache import invalidate_public_pages
from members import tallies
from members.models import (
    Answer,
    Evidence,
    Extension,
    IndicatorValue,
    Membership,
    Message,
    Place,
    PlaceEvent,
    Report,
    ReportingCampaign,
    ReportingStatus,
    ReportTransition,
    Signature,
)
from members.models.reports import NEWCOMER_DAYS
from members.territory import coordinators_of

from . import MembersError, require_coordinator, require_member
from .history import record
from .teams import team

EDITABLE = (Report.Status.DRAFT, Report.Status.CHANGES_REQUESTED)
SENT = Report.SENT

# The budget split of the charter's mixed economic model (ambition-economie-mixte).
BUDGET_TOTAL = "budget-total"
BUDGET_PARTS = ("budget-ventes", "budget-public", "budget-autres")

INDICATOR_GROUPS = {
    "benevolat": gettext_lazy("Bénévolat"),
    "emploi": gettext_lazy("Emploi"),
    "activite": gettext_lazy("Activité"),
    "budget": gettext_lazy("Budget de l’année"),
    "gouvernance": gettext_lazy("Composition du conseil d’administration"),
}


class ReportingError(MembersError):
    """A reporting action that the current state or the user's role does not allow."""


class ReportIncomplete(ReportingError):
    def __init__(self, message, *, missing_commitments=(), missing_indicators=()):
        super().__init__(message)
        self.missing_commitments = list(missing_commitments)
        self.missing_indicators = list(missing_indicators)


@dataclass
class AnswerChange:
    """What another person saved on one answer since the form was loaded."""

    answer: Answer
    # [(label, their value, your value, field name, their raw value)]
    fields: list = field(default_factory=list)


class ReportConflict(ReportingError):
    """Someone saved the same answers (or indicators) since the form was loaded."""

    def __init__(self, message, *, revision, changes=(), indicator_changes=()):
        super().__init__(message)
        self.revision = revision
        self.changes = list(changes)
        # [(indicator, their value, your value)]
        self.indicator_changes = list(indicator_changes)


# --- Reads ------------------------------------------------------------------------------------


class Phase(models.TextChoices):
    UPCOMING = "upcoming", gettext_lazy("À venir")
    OPEN = "open", gettext_lazy("Ouverte")
    CLOSED = "closed", gettext_lazy("Clôturée")


def signed_version(place):
    """The charter version a place reports against: that of its latest valid signature."""
    signature = (
        Signature.objects.valid()
        .filter(place=place)
        .select_related("version")
        .order_by("-version__number", "-signed_at")
        .first()
    )
    return signature.version if signature else None


def _approved_on(place):
    return timezone.localdate(place.approved_at) if place and place.approved_at else None


def _due_on(campaign, granted, approved_on):
    """The rule of ``Place.objects.with_reporting_status``: the campaign's due date, or the
    later one granted, and for a place approved while the campaign ran, at least
    ``NEWCOMER_DAYS`` from its approval."""
    due = max(filter(None, [granted, campaign.due_on]))
    if approved_on and campaign.opens_on <= approved_on <= campaign.due_on:
        due = max(due, approved_on + timedelta(days=NEWCOMER_DAYS))
    return due


def effective_due_on(campaign, place):
    """The date by which ``place`` must send its report for ``campaign``."""
    granted = (
        Extension.objects.filter(
            place=place, campaign=campaign, status=Extension.Status.GRANTED
        ).aggregate(due=models.Max("due_on"))["due"]
        if place
        else None
    )
    return _due_on(campaign, granted, _approved_on(place))


def campaign_phase(campaign, *, due_on=None, today=None):
    """Upcoming before opening; open until the due date plus the grace period; then closed."""
    today = today or timezone.localdate()
    due_on = due_on or campaign.due_on
    if today < campaign.opens_on:
        return Phase.UPCOMING
    if today > due_on + timedelta(days=campaign.grace_days):
        return Phase.CLOSED
    return Phase.OPEN


def place_reporting_status(campaign, report_status, granted_due_on, approved_at, today=None):
    """The whole rule of ``Place.objects.with_reporting_status`` from what is stored of one
    place: its report's status, the latest extension granted (or None) and its approval."""
    approved_on = timezone.localdate(approved_at) if approved_at else None
    due_on = _due_on(campaign, granted_due_on, approved_on)
    return reporting_status(campaign, report_status, due_on, today, approved_on)


def granted_due_dates(campaign, places=None):
    """{place id: the latest due date granted by an extension of ``campaign``}, for the places
    of ``places`` (a queryset of ids) or all: one query, what ``place_reporting_status`` takes
    as ``granted_due_on``."""
    granted = Extension.objects.filter(campaign=campaign, status=Extension.Status.GRANTED)
    if places is not None:
        granted = granted.filter(place__in=places)
    latest = {}
    for place_id, due_on in granted.values_list("place_id", "due_on"):
        latest[place_id] = max(due_on, latest.get(place_id, due_on))
    return latest


def reporting_status(campaign, report_status, due_on, today=None, approved_on=None):
    """The same rule as ``Place.objects.with_reporting_status``, for one place in Python."""
    today = today or timezone.localdate()
    if report_status in SENT:
        return ReportingStatus(report_status)
    if approved_on and approved_on > campaign.due_on:
        return ReportingStatus.NOT_EXPECTED
    if due_on + timedelta(days=campaign.grace_days) < today:
        return ReportingStatus.NON_COMMUNICATING
    if due_on < today:
        return ReportingStatus.LATE
    if report_status == Report.Status.DRAFT:
        return ReportingStatus.DRAFT
    return ReportingStatus.NOT_STARTED


def campaigns_for_place(place, today=None):
    """Every campaign with, for ``place``: its report, due date, phase and status. Two queries."""
    today = today or timezone.localdate()
    granted = Extension.objects.filter(
        place=place, campaign=OuterRef("pk"), status=Extension.Status.GRANTED
    ).order_by("-due_on")
    pending = Extension.objects.filter(
        place=place, campaign=OuterRef("pk"), status=Extension.Status.PENDING
    )
    campaigns = list(
        ReportingCampaign.objects.annotate(
            granted_due_on=Subquery(granted.values("due_on")[:1]),
            has_pending_extension=Exists(pending),
        ).order_by("-year", "-pk")
    )
    reports = {r.campaign_id: r for r in Report.objects.filter(place=place)}
    approved_on = _approved_on(place)
    for campaign in campaigns:
        campaign.report = reports.get(campaign.pk)
        campaign.effective_due_on = _due_on(campaign, campaign.granted_due_on, approved_on)
        campaign.phase = campaign_phase(campaign, due_on=campaign.effective_due_on, today=today)
        campaign.status = reporting_status(
            campaign,
            campaign.report.status if campaign.report else None,
            campaign.effective_due_on,
            today,
            approved_on,
        )
    return campaigns


def budget_errors(values):
    """Cross-field rule on indicator values {key: Decimal or None}: parts add up to the total.

    Checked only when a total and at least one part are given (a place may give its total
    without the split). Reused by the indicators form and by ``submit_report``.
    """
    total = values.get(BUDGET_TOTAL)
    parts = [values.get(key) for key in BUDGET_PARTS]
    if total is None or all(part is None for part in parts):
        return []
    parts_sum = sum((part or Decimal(0) for part in parts), Decimal(0))
    if parts_sum != total:
        return [
            _(
                "Les parts du budget (vente de services, financements publics, autres produits) "
                "font %(parts)s €, mais le budget total indiqué est de %(total)s €."
            )
            % {"parts": parts_sum, "total": total}
        ]
    return []


def report_answers(report):
    """The report's answers in charter order, with what the pages show. One query + one."""
    return list(
        report.answers.select_related("commitment__section", "updated_by")
        .prefetch_related("evidence")
        .order_by("commitment__section__position", "commitment__position", "pk")
    )


# An answer counts once it has a level and is not a pre-filled one still to confirm.
ANSWERED = ~models.Q(level="") & models.Q(carried_over=False)


def progress(report):
    """(answered, total) commitments: one aggregate query."""
    counts = report.answers.aggregate(
        total=models.Count("pk"), answered=models.Count("pk", filter=ANSWERED)
    )
    return counts["answered"], counts["total"]


# --- Writes -----------------------------------------------------------------------------------


def _require_writer(place, by):
    """The place's editors and representatives write its report, while it is a member of the
    network: a suspended, withdrawn or rejected place cannot start, save or send one."""
    require_member(
        by,
        place,
        Membership.Role.EDITOR,
        _("Seul·es les rédacteur·rices du lieu écrivent ses bilans."),
        ReportingError,
    )
    if Place.objects.filter(pk=place.pk).values_list("status", flat=True).first() != (
        Place.Status.MEMBER
    ):
        raise ReportingError(
            _("Votre lieu n’est plus membre actif du réseau : ses bilans ne peuvent plus changer.")
        )


# What an answer carries over from the place's previous approved report.
CARRIED_OVER = ("level", "na_reason", "narrative", "actions")


@transaction.atomic
def create_report(*, place, campaign, by, today=None):
    """Start ``place``'s report for ``campaign``, pre-filled from its last approved report.

    Answers are matched by commitment key, so a report against charter version 2 takes up
    what the place wrote against version 1 for the commitments both versions share.
    """
    if place.status != Place.Status.MEMBER:
        raise ReportingError(_("Seul un lieu membre du réseau peut rédiger un bilan."))
    _require_writer(place, by)
    version = signed_version(place)
    if version is None:
        raise ReportingError(
            _("Votre lieu doit avoir signé la charte en vigueur pour rédiger un bilan.")
        )
    phase = campaign_phase(campaign, due_on=effective_due_on(campaign, place), today=today)
    if phase == Phase.UPCOMING:
        raise ReportingError(
            _("La campagne « %(campaign)s » ouvre le %(date)s : revenez à partir de cette date.")
            % {"campaign": campaign, "date": date_format(campaign.opens_on)}
        )
    if phase == Phase.CLOSED:
        raise ReportingError(
            _("La campagne « %(campaign)s » est close : il n’est plus possible d’y répondre.")
            % {"campaign": campaign}
        )
    if Report.objects.filter(place=place, campaign=campaign).exists():
        raise ReportingError(_("Votre lieu a déjà un bilan pour cette campagne."))
    try:
        with transaction.atomic():
            report = Report.objects.create(place=place, campaign=campaign, version=version)
    except IntegrityError as error:  # two clicks at once: the constraint keeps one report
        raise ReportingError(_("Votre lieu a déjà un bilan pour cette campagne.")) from error

    previous = (
        Report.objects.filter(place=place, status=Report.Status.APPROVED)
        .exclude(pk=report.pk)
        .order_by("-campaign__year", "-pk")
        .first()
    )
    before = {}
    if previous:
        before = {
            answer.commitment.key: answer
            for answer in previous.answers.select_related("commitment").prefetch_related("evidence")
        }
    now = timezone.now()
    answers = []
    for commitment in Commitment.objects.filter(version=version).order_by(
        "section__position", "position", "pk"
    ):
        old = before.get(commitment.key)
        if old and (old.level or old.narrative or old.actions):
            answers.append(
                Answer(
                    report=report,
                    commitment=commitment,
                    **{name: getattr(old, name) for name in CARRIED_OVER},
                    carried_over=True,
                    updated_at=now,
                )
            )
        else:
            answers.append(Answer(report=report, commitment=commitment, updated_at=now))
    Answer.objects.bulk_create(answers)
    by_key = {
        a.commitment.key: a
        for a in Answer.objects.filter(report=report).select_related("commitment")
    }
    Evidence.objects.bulk_create(
        Evidence(answer=by_key[key], label=e.label, url=e.url, file=e.file.name)
        for key, old in before.items()
        if key in by_key and by_key[key].carried_over
        for e in old.evidence.all()
    )
    ReportTransition.objects.create(
        report=report,
        from_status="",
        to_status=Report.Status.DRAFT,
        by=by,
        prefilled_from=previous.campaign.year if previous else None,
    )
    record(
        place=place,
        code=PlaceEvent.Code.REPORT_STATUS,
        by=by,
        year=campaign.year,
        to=Report.Status.DRAFT,
        prefilled_from=previous.campaign.year if previous else None,
    )
    return report


ANSWER_FIELDS = ("level", "na_reason", "narrative", "actions")


def save_answers(*, report, by, answers=None, indicators=None, indicators_loaded=None):
    """Save part of a draft: some answers and/or the indicator values.

    ``answers``: {answer pk: {"level", "na_reason", "narrative", "actions", "confirm",
    "revision", "new_links": [(url, label)], "new_files": [(file, label)], "remove_evidence":
    [evidence pk]}}. ``revision`` is the answer's revision when the form was loaded: an answer
    someone else saved since is a conflict, and is not written; every other answer is (two
    editors on two commitments never block each other). ``indicators``: {Indicator: Decimal
    or None}; ``indicators_loaded``: {indicator pk: the value shown when the form was loaded},
    the same rule per indicator. ``confirm``: a pre-filled answer is confirmed as it stands.

    Raises ``ReportConflict`` after saving the rest, listing what the others saved.
    """
    report, conflict = _save_answers(
        report=report,
        by=by,
        answers=answers or {},
        indicators=indicators,
        indicators_loaded=indicators_loaded or {},
    )
    if conflict is not None:
        raise conflict
    return report


@transaction.atomic
def _save_answers(*, report, by, answers, indicators, indicators_loaded):
    _require_writer(report.place, by)
    rows = Report.objects.filter(pk=report.pk, status__in=EDITABLE).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    if rows != 1:
        raise ReportingError(_("Ce bilan a été envoyé : il ne peut plus être modifié."))
    current = {
        a.pk: a
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(report=report, pk__in=answers)
        .select_related("commitment__section", "updated_by")
    }
    now = timezone.now()
    changes = []
    for pk, data in answers.items():
        answer = current[pk]  # KeyError: an answer of another report, a programming error
        dirty = [f for f in ANSWER_FIELDS if f in data and getattr(answer, f) != data[f]]
        if (
            data.get("level") == Answer.Level.NOT_APPLICABLE
            and not answer.commitment.allows_not_applicable
        ):
            raise ReportingError(
                _(
                    "« %(commitment)s » est une condition d’adhésion : votre lieu ne peut pas "
                    "s’en déclarer non concerné."
                )
                % {"commitment": answer.commitment.t_title()}
            )
        loaded = data.get("revision")
        if dirty and loaded is not None and loaded != answer.revision:
            changes.append(_answer_change(answer, data, dirty))
            continue
        new_links, new_files = data.get("new_links", ()), data.get("new_files", ())
        removed = data.get("remove_evidence", ())
        for name in dirty:
            setattr(answer, name, data[name])
        confirmed = data.get("confirm") and answer.carried_over
        if dirty or new_links or new_files or removed or confirmed:
            answer.carried_over = False
            answer.updated_by = by
            answer.updated_at = now
            answer.revision += 1
            answer.save(
                update_fields=[*dirty, "carried_over", "updated_by", "updated_at", "revision"]
            )
        for url, label in new_links:
            Evidence.objects.create(answer=answer, url=url, label=label)
        for upload, label in new_files:
            Evidence.objects.create(answer=answer, file=upload, label=label or upload.name)
        if removed:
            Evidence.objects.filter(answer=answer, pk__in=removed).delete()

    indicator_changes = []
    if indicators is not None:
        existing = {v.indicator_id: v for v in report.indicator_values.all()}
        for indicator, value in indicators.items():
            old = existing.get(indicator.pk)
            stored = old.value if old else None
            if stored == value:
                continue
            loaded = indicators_loaded.get(indicator.pk, stored)
            if value == loaded:  # not changed by this person: what is stored stays
                continue
            if loaded != stored:
                indicator_changes.append((indicator, stored, value))
                continue
            if value is None:
                old.delete()
            elif old is None:
                IndicatorValue.objects.create(report=report, indicator=indicator, value=value)
            else:
                old.value = value
                old.save(update_fields=["value"])
    report.refresh_from_db(fields=["revision", "updated_at"])
    if report.status in SENT:  # changes requested: its answers count in the dashboard
        tallies.retally(places=[report.place])
    if not (changes or indicator_changes):
        return report, None
    return report, ReportConflict(
        _(
            "Quelqu’un d’autre a modifié les mêmes réponses pendant que vous les écriviez. Le "
            "reste est enregistré ; pour celles-ci, rien n’a été écrasé : votre texte et le "
            "sien sont côte à côte ci-dessous. Gardez l’un, l’autre, ou fusionnez-les, puis "
            "enregistrez."
        ),
        revision=report.revision,
        changes=changes,
        indicator_changes=indicator_changes,
    )


def _answer_change(answer, data, dirty):
    labels = {name: Answer._meta.get_field(name).verbose_name for name in ANSWER_FIELDS}

    def shown(name, value):
        return Answer.Level(value).label if name == "level" and value else value

    return AnswerChange(
        answer=answer,
        fields=[
            (
                labels[name],
                shown(name, getattr(answer, name)),
                shown(name, data[name]),
                name,
                getattr(answer, name),
            )
            for name in dirty
        ],
    )


def missing_items(report):
    """(unanswered answers, missing required indicators, budget errors) before sending."""
    unanswered = list(
        report.answers.exclude(ANSWERED)
        .select_related("commitment__section")
        .order_by("commitment__section__position", "commitment__position")
    )
    values = {v.indicator.key: v.value for v in report.indicator_values.select_related("indicator")}
    missing = [
        indicator
        for indicator in report.campaign.indicators.filter(required=True)
        if indicator.key not in values
    ]
    return unanswered, missing, budget_errors(values)


def _check_complete(report):
    unanswered, missing, errors = missing_items(report)
    if unanswered or missing or errors:
        raise ReportIncomplete(
            " ".join(
                [
                    _(
                        "Le bilan n’est pas complet : chaque engagement doit avoir un niveau "
                        "(ou « non concerné » avec un motif), chaque réponse reprise du bilan "
                        "précédent doit être confirmée, et chaque indicateur obligatoire une "
                        "valeur."
                    ),
                    *errors,
                ]
            ),
            missing_commitments=[a.commitment for a in unanswered],
            missing_indicators=missing,
        )


@dataclass(frozen=True)
class _Move:
    """A step of a report's life: from which statuses, to which, and who is told by which
    e-mail (``tell(place)``: the coordinators, or the place's team)."""

    allowed: list
    to: str
    tell: object
    email: str


SUBMIT = _Move([Report.Status.DRAFT], Report.Status.SUBMITTED, coordinators_of, "report_submitted")
RESUBMIT = _Move(
    [Report.Status.CHANGES_REQUESTED], Report.Status.SUBMITTED, coordinators_of, "report_submitted"
)
REQUEST_CHANGES = _Move(
    [Report.Status.SUBMITTED], Report.Status.CHANGES_REQUESTED, team, "report_changes_requested"
)
APPROVE = _Move([Report.Status.SUBMITTED], Report.Status.APPROVED, team, "report_approved")


def _move(report, move, *, by, message=""):
    """Change the status if it is still one the move allows (one row), leave a trace, and tell
    those the move tells."""
    old = report.status
    to = move.to
    now = timezone.now()
    extra = {}
    if to == Report.Status.SUBMITTED:
        extra["submitted_at"] = now
    elif to == Report.Status.APPROVED:
        extra["approved_at"] = now
    rows = Report.objects.filter(pk=report.pk, status__in=move.allowed).update(
        status=to, updated_at=now, **extra
    )
    invalidate_public_pages()  # update() sends no signal
    if rows != 1:
        raise ReportingError(
            _("Ce bilan est « %(status)s » : cette action n’est pas possible.")
            % {"status": Report.Status(old).label}
        )
    report.refresh_from_db()
    tallies.retally(places=[report.place])
    transition = ReportTransition.objects.create(
        report=report, from_status=old, to_status=to, by=by, message=message, at=now
    )
    record(
        place=report.place,
        code=PlaceEvent.Code.REPORT_STATUS,
        by=by,
        at=now,
        year=report.campaign.year,
        message=message,
        **{"from": old, "to": to},
    )
    mail.send(
        move.tell(report.place),
        move.email,
        {"report": report, "transition": transition, **report_links(report)},
    )
    return report


def _check_status(report, move):
    if report.status not in move.allowed:
        raise ReportingError(
            _("Ce bilan est « %(status)s » : cette action n’est pas possible.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def submit_report(*, report, by, today=None):
    """A complete draft goes to the coordinators, while the campaign is open for the place."""
    _require_writer(report.place, by)
    _check_status(report, SUBMIT)
    due_on = effective_due_on(report.campaign, report.place)
    if campaign_phase(report.campaign, due_on=due_on, today=today) == Phase.CLOSED:
        raise ReportingError(
            _("La campagne « %(campaign)s » est close : le bilan ne peut plus être envoyé.")
            % {"campaign": report.campaign}
        )
    _check_complete(report)
    return _move(report, SUBMIT, by=by)


@transaction.atomic
def resubmit_report(*, report, by, message=""):
    """After changes were requested, the place sends its report again."""
    _require_writer(report.place, by)
    _check_status(report, RESUBMIT)
    _check_complete(report)
    return _move(report, RESUBMIT, by=by, message=message)


def _post_comments(report, by, comments):
    """The coordinator's comments on answers: each opens or continues that commitment's thread
    (``Answer.reviewer_comment`` is kept for old reports only, no longer written); the history
    names the commitments commented (by id: each reader sees the title in their language)."""
    from . import threads

    comments = {pk: (text or "").strip() for pk, text in (comments or {}).items()}
    comments = {pk: text for pk, text in comments.items() if text}
    if not comments:
        return
    answers = list(report.answers.filter(pk__in=comments).select_related("report__place"))
    # A comment sent again as it stands (the same words as the coordination's last message on
    # that commitment, e.g. kept in the form at approval) is not a new message.
    last = {}
    for message in Message.objects.filter(
        answer__in=answers, side=Message.Side.COORDINATION
    ).order_by("answer_id", "pk"):
        last[message.answer_id] = message.body.strip()
    answers = [answer for answer in answers if last.get(answer.pk) != comments[answer.pk]]
    if not answers:
        return
    for answer in answers:
        try:
            threads.post_message(
                answer=answer, by=by, body=comments[answer.pk], as_coordinator=True
            )
        except threads.ThreadError as error:
            raise ReportingError(error.message) from error
    record(
        place=report.place,
        code=PlaceEvent.Code.COORDINATOR_COMMENT,
        by=by,
        year=report.campaign.year,
        commitments=sorted(answer.commitment_id for answer in answers),
    )


@transaction.atomic
def request_changes(*, report, by, message, comments=None):
    """A coordinator sends a submitted report back, with a message, and comments on answers
    that open or continue their threads."""
    require_coordinator(by, report.place, "change_report", ReportingError)
    _check_status(report, REQUEST_CHANGES)
    if not (message or "").strip():
        raise ReportingError(_("Expliquez au lieu ce qu’il doit modifier."))
    _post_comments(report, by, comments)
    return _move(report, REQUEST_CHANGES, by=by, message=message)


@transaction.atomic
def approve_report(*, report, by, message="", comments=None):
    """A coordinator approves a submitted report; if the place allows it, it is published."""
    require_coordinator(by, report.place, "change_report", ReportingError)
    _check_status(report, APPROVE)
    _post_comments(report, by, comments)
    return _move(report, APPROVE, by=by, message=message)


@transaction.atomic
def set_publication(*, report, by, publish):
    """The place chooses whether its approved report appears on its public page."""
    require_member(
        by,
        report.place,
        Membership.Role.EDITOR,
        _("Seul·es les rédacteur·rices du lieu le peuvent."),
        ReportingError,
    )
    Report.objects.filter(pk=report.pk).update(publish=bool(publish))
    invalidate_public_pages()  # update() sends no signal
    report.publish = bool(publish)
    tallies.retally(places=[report.place])
    return report


def report_links(report=None, *, place=None, year=None):
    """Links of the report e-mails: the place's report page and the coordinators' screen."""
    place = report.place if report else place
    year = report.campaign.year if report else year
    admin = (
        reverse("admin:members_report_review", args=[report.pk])
        if report
        else reverse("admin:members_extension_changelist")
    )
    return {
        "portal_url": mail.absolute_url(reverse("members:report_detail", args=[place.slug, year])),
        "admin_url": mail.absolute_url(admin),
    }
