"""Conversations on each commitment of a report: posting, reading, unread counts, digests.

Who may post in a thread (checked here, whatever the view checked): the place's editors and
representatives, the coordinators of its territory, and the members of a peer place whose
invitation is accepted and still running. A message is never changed: an edit is a new one.
E-mail: never one per message; at most one digest a day per person (their setting), in their
language, through ``core.mail``.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import mail
from members.access import has_role
from members.models import (
    Membership,
    Message,
    NotificationSetting,
    PeerInvitation,
    Report,
    ReportTransition,
    ThreadRead,
    User,
)
from members.territory import coordinators_of

from . import MembersError, require_coordinator

# A message is a few paragraphs, not a report.
MAX_BODY = 10_000
# A digest is one e-mail a day at most.
DIGEST_INTERVAL = timedelta(hours=24)
# The digest looks back this far for messages not yet told about.
DIGEST_WINDOW = timedelta(days=7)


class ThreadError(MembersError):
    """A message that may not be posted (role, peer invitation over, empty text…)."""


# --- Reads ------------------------------------------------------------------------------------


def thread(answer):
    """The messages of ``answer``'s thread, oldest first, with their authors: one query."""
    return list(
        Message.objects.filter(answer=answer)
        .select_related("author", "peer_place")
        .order_by("created_at", "pk")
    )


def rounds(messages):
    """A thread split by report round: [(round, [messages])], oldest first."""
    grouped = {}
    for message in messages:
        grouped.setdefault(message.round, []).append(message)
    return list(grouped.items())


def report_round(report):
    """How many times ``report`` has been sent: the round a new message belongs to."""
    return ReportTransition.objects.filter(report=report, to_status=Report.Status.SUBMITTED).count()


def _unread(user):
    """Messages ``user`` has not been shown and did not write."""
    seen = ThreadRead.objects.filter(
        user=user, answer=OuterRef("answer"), last_read_id__gte=OuterRef("pk")
    )
    return Message.objects.exclude(author=user).filter(~Exists(seen))


def _count_by(messages, key, *, distinct=False):
    """{value of ``key``: how many of ``messages``}: one query."""
    rows = messages.values(key).annotate(n=Count("pk", distinct=distinct)).values_list(key, "n")
    return dict(rows)


def unread_by_answer(user, report):
    """{answer id: unread messages} for one report: one query."""
    return _count_by(_unread(user).filter(answer__report=report), "answer")


def unread_by_place(user, place_ids):
    """{place id: unread messages in its reports' threads}: one query for all the places."""
    unread = _unread(user).filter(answer__report__place__in=place_ids)
    return _count_by(unread, "answer__report__place")


def unread_for_peer(user, invitation_ids):
    """{peer invitation id: unread messages in its report's threads}: one query."""
    unread = _unread(user).filter(answer__report__peer_invitations__in=invitation_ids)
    return _count_by(unread, "answer__report__peer_invitations", distinct=True)


def coordination_requests(report):
    """{answer id: [messages]} the coordination wrote since the report was last sent (what it
    asks to change, while the report is back with the place): one query."""
    if report.status != Report.Status.CHANGES_REQUESTED or report.submitted_at is None:
        return {}
    requests = {}
    for message in Message.objects.filter(
        answer__report=report,
        side=Message.Side.COORDINATION,
        created_at__gte=report.submitted_at,
    ).order_by("created_at", "pk"):
        requests.setdefault(message.answer_id, []).append(message)
    return requests


def mark_read(*, user, answer, messages):
    """``messages`` (the thread as shown) are read by ``user``: the marker only moves forward."""
    if not messages or not user.is_authenticated:
        return
    last = max(m.pk for m in messages)
    updated = ThreadRead.objects.filter(user=user, answer=answer, last_read_id__lt=last).update(
        last_read_id=last, read_at=timezone.now()
    )
    if not updated:
        ThreadRead.objects.get_or_create(user=user, answer=answer, defaults={"last_read_id": last})


def mark_many_read(*, user, threads):
    """``threads`` ({answer id: [messages shown]}) are read by ``user``: three queries at most,
    whatever the number of threads (the coordinators' review screen)."""
    last = {answer_id: max(m.pk for m in ms) for answer_id, ms in threads.items() if ms}
    if not last:
        return
    now = timezone.now()
    existing = {r.answer_id: r for r in ThreadRead.objects.filter(user=user, answer__in=last)}
    behind = [r for r in existing.values() if r.last_read_id < last[r.answer_id]]
    for read in behind:
        read.last_read_id, read.read_at = last[read.answer_id], now
    ThreadRead.objects.bulk_update(behind, ["last_read_id", "read_at"])
    ThreadRead.objects.bulk_create(
        [
            ThreadRead(user=user, answer_id=answer_id, last_read_id=pk, read_at=now)
            for answer_id, pk in last.items()
            if answer_id not in existing
        ],
        ignore_conflicts=True,
    )


def threads_of(report):
    """{answer id: [messages]} of every thread of ``report``: one query."""
    threads = {}
    for message in (
        Message.objects.filter(answer__report=report)
        .select_related("author", "peer_place")
        .order_by("created_at", "pk")
    ):
        threads.setdefault(message.answer_id, []).append(message)
    return threads


# --- Writes -----------------------------------------------------------------------------------


def _side(answer, by, peer_invitation, as_coordinator):
    """Which side ``by`` speaks for, checked: (side, peer place)."""
    place = answer.report.place
    if peer_invitation is not None:
        active = PeerInvitation.objects.active().filter(
            pk=peer_invitation.pk, report_id=answer.report_id
        )
        if not active.exists() or not has_role(peer_invitation.peer, by, Membership.Role.EDITOR):
            raise ThreadError(_("Ce regard de pair est terminé : vous ne pouvez plus écrire ici."))
        return Message.Side.PEER, peer_invitation.peer
    if as_coordinator:
        require_coordinator(by, place, "change_report", ThreadError)
        return Message.Side.COORDINATION, None
    if not has_role(place, by, Membership.Role.EDITOR):
        raise ThreadError(_("Seul·es les rédacteur·rices du lieu écrivent dans ses conversations."))
    return Message.Side.PLACE, None


@transaction.atomic
def post_message(
    *, answer, by, body, attachment=None, attachment_label="", peer_invitation=None,
    as_coordinator=False,
):  # fmt: skip
    """Add a message to ``answer``'s thread; tell those who asked to hear at once."""
    body = (body or "").strip()
    if not body:
        raise ThreadError(_("Écrivez un message."))
    if len(body) > MAX_BODY:
        raise ThreadError(
            _("Un message fait au plus %(max)s caractères.") % {"max": f"{MAX_BODY:,}"}
        )
    side, peer_place = _side(answer, by, peer_invitation, as_coordinator)
    message = Message(
        answer=answer,
        author=by,
        side=side,
        peer_place=peer_place,
        round=report_round(answer.report),
        body=body,
        file_label=(attachment_label or (attachment.name if attachment else ""))[:200],
    )
    if attachment is not None:
        message.file.save(attachment.name, attachment, save=False)
    message.save()
    # The author has read what they wrote, and everything before it.
    mark_read(user=by, answer=answer, messages=[message])
    transaction.on_commit(lambda: send_immediate_digests(message))
    return message


# --- E-mail digests ---------------------------------------------------------------------------


def audience(report):
    """Everyone who reads ``report``'s threads: its team, its coordinators (accounts only),
    and the members of peer places with a running invitation."""
    people = {m.user for m in Membership.objects.filter(place=report.place).select_related("user")}
    people |= {u for u in coordinators_of(report.place) if isinstance(u, User)}
    peers = PeerInvitation.objects.active().filter(report=report).values("peer")
    people |= {m.user for m in Membership.objects.filter(place__in=peers).select_related("user")}
    return {user for user in people if user.is_active}


def frequency(user):
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting.frequency if setting else NotificationSetting.Frequency.DAILY


def _pending_for(user, messages):
    """Of ``messages``, those ``user`` has neither written, read nor been told about."""
    setting = NotificationSetting.objects.filter(user=user).first()
    told = setting.last_digest_message_id if setting else 0
    read = dict(
        ThreadRead.objects.filter(
            user=user, answer__in={m.answer_id for m in messages}
        ).values_list("answer", "last_read_id")
    )
    return [
        m
        for m in messages
        if m.pk > told and m.author_id != user.pk and m.pk > read.get(m.answer_id, 0)
    ]


def _thread_url(user, message):
    """The thread's address for ``user``: their place's page, or the admin's review screen, or
    their peer review."""
    report = message.answer.report
    key = message.answer.commitment.key
    if Membership.objects.filter(user=user, place=report.place).exists():
        return mail.absolute_url(
            reverse(
                "members:report_commitment", args=[report.place.slug, report.campaign.year, key]
            )
        )
    invitation = (
        PeerInvitation.objects.active()
        .filter(report=report, peer__memberships__user=user)
        .select_related("peer")
        .first()
    )
    if invitation:
        return mail.absolute_url(
            reverse("members:peer_commitment", args=[invitation.peer.slug, invitation.pk, key])
        )
    return mail.absolute_url(reverse("admin:members_report_review", args=[report.pk]))


def send_digest(user, messages, *, now=None):
    """One e-mail telling ``user`` about ``messages`` (pending ones only), if their setting and
    the one-a-day rule allow; returns the number of messages told about."""
    now = now or timezone.now()
    with transaction.atomic():
        setting, _created = NotificationSetting.objects.select_for_update().get_or_create(user=user)
        if setting.frequency == NotificationSetting.Frequency.NEVER:
            return 0
        if setting.last_digest_at and now - setting.last_digest_at < DIGEST_INTERVAL:
            return 0
        pending = _pending_for(user, messages)
        if not pending:
            return 0
        threads = {}
        for m in pending:
            threads.setdefault(m.answer_id, []).append(m)
        items = [
            {
                "report": ms[0].answer.report,
                "commitment": ms[0].answer.commitment,
                "count": len(ms),
                "url": _thread_url(user, ms[0]),
            }
            for ms in threads.values()
        ]
        setting.last_digest_at = now
        setting.last_digest_message_id = max(m.pk for m in pending)
        setting.save(update_fields=["last_digest_at", "last_digest_message_id"])
        # Queued in the same transaction as the "told up to" marker: both or neither.
        mail.send_now(
            user,
            "thread_digest",
            {
                "items": items,
                "total": len(pending),
                "account_url": mail.absolute_url(reverse("members:account")),
            },
        )
    return len(pending)


def _recent_messages(since):
    return list(
        Message.objects.filter(created_at__gte=since)
        .select_related("answer__report__place", "answer__report__campaign", "answer__commitment")
        .order_by("pk")
    )


def send_immediate_digests(message):
    """After a message: those who chose "immediately" get their digest now (once a day at
    most; the rest waits for tomorrow's)."""
    now = timezone.now()
    messages = _recent_messages(now - DIGEST_WINDOW)
    for user in audience(message.answer.report):
        if user.pk == message.author_id:
            continue
        if frequency(user) == NotificationSetting.Frequency.IMMEDIATELY:
            send_digest(user, messages, now=now)


def send_daily_digests(now=None):
    """The daily run (``manage.py send_reminders``): each reader of new messages gets one
    digest, unless they asked for none or had one in the last 24 hours. Safe to re-run.
    Returns {user: number of messages told about}."""
    now = now or timezone.now()
    messages = _recent_messages(now - DIGEST_WINDOW)
    by_report = {}
    for m in messages:
        by_report.setdefault(m.answer.report_id, (m.answer.report, []))[1].append(m)
    readers = {}
    for report, report_messages in by_report.values():
        for user in audience(report):
            readers.setdefault(user, []).extend(report_messages)
    sent = {}
    for user, user_messages in sorted(readers.items(), key=lambda item: item[0].pk):
        count = send_digest(user, user_messages, now=now)
        if count:
            sent[user] = count
    return sent


def set_frequency(*, user, frequency):
    NotificationSetting.objects.update_or_create(user=user, defaults={"frequency": frequency})
