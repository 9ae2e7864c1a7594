"""The members app's models, one module per area; imported here so that
``from members.models import Place`` works and Django finds them all."""

from .accounts import User, UserManager
from .assignments import Assignment
from .coordination import (
    CoordinatorScope,
    ReminderLog,
    validate_departement_codes,
    validate_region_codes,
)
from .history import PlaceEvent
from .peers import PEER_REVIEW_DAYS, PeerInvitation
from .places import Activity, Place, PlaceQuerySet, PlaceTransition, PublicServed, logo_path
from .reports import (
    Answer,
    Evidence,
    Extension,
    Indicator,
    IndicatorValue,
    Report,
    ReportingCampaign,
    ReportingStatus,
    ReportQuerySet,
    ReportTransition,
    evidence_path,
)
from .signatures import (
    Signature,
    SignatureImmutableError,
    SignaturePolicy,
    SignatureQuerySet,
    minutes_path,
    verification_code,
)
from .surveys import PLACE_FIELDS, Survey, SurveyAnswer, SurveyField, SurveyQuerySet
from .tallies import DueTally, IndicatorTally, LevelTally, PlaceTally, ReportTally
from .teams import Invitation, Membership, invitation_token
from .threads import Message, NotificationSetting, ThreadRead

__all__ = [
    "Assignment",
    "Message",
    "NotificationSetting",
    "PEER_REVIEW_DAYS",
    "PeerInvitation",
    "ThreadRead",
    "PLACE_FIELDS",
    "Activity",
    "Answer",
    "CoordinatorScope",
    "DueTally",
    "Evidence",
    "Extension",
    "Indicator",
    "IndicatorTally",
    "IndicatorValue",
    "Invitation",
    "LevelTally",
    "Membership",
    "Place",
    "PlaceEvent",
    "PlaceQuerySet",
    "PlaceTally",
    "PlaceTransition",
    "PublicServed",
    "ReminderLog",
    "Report",
    "ReportQuerySet",
    "ReportTally",
    "ReportTransition",
    "ReportingCampaign",
    "ReportingStatus",
    "Signature",
    "SignatureImmutableError",
    "SignaturePolicy",
    "SignatureQuerySet",
    "Survey",
    "SurveyAnswer",
    "SurveyField",
    "SurveyQuerySet",
    "User",
    "UserManager",
    "evidence_path",
    "invitation_token",
    "logo_path",
    "minutes_path",
    "validate_departement_codes",
    "validate_region_codes",
    "verification_code",
]
