"""What each API resource shows: public fields only, named as in the open-data exports."""

from operator import attrgetter

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import Answer, Signature
from members.views.directory import PublicReporting, public_reporting


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.ReadOnlyField):
    """The absolute URL of the path that ``source`` gives (``get_absolute_url``…)."""

    def to_representation(self, path):
        return self.context["request"].build_absolute_uri(path)


class LinkField(AbsoluteURLField):
    """The absolute URL of ``view_name``, reversed with the object's ``attributes`` (dotted
    paths)."""

    def __init__(self, view_name, *attributes, **kwargs):
        self.view_name, self.attributes = view_name, attributes
        super().__init__(source="*", **kwargs)

    def get_attribute(self, obj):
        return reverse(self.view_name, args=[attrgetter(name)(obj) for name in self.attributes])


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# --- Places ---------------------------------------------------------------------------------


class PlaceSerializer(serializers.Serializer):
    """A listed place: the fields of the open-data exports (/donnees/)."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    url = LinkField("members:public_place", "slug")
    api_url = LinkField("api:place-detail", "slug")
    street = serializers.CharField()
    postcode = serializers.CharField()
    commune = serializers.CharField()
    departement = serializers.CharField()
    departement_name = serializers.CharField()
    region = serializers.CharField()
    region_name = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    position_is_approximate = serializers.BooleanField()
    activities = serializers.SerializerMethodField()
    publics = serializers.SerializerMethodField()
    website = serializers.CharField()
    public_email = serializers.CharField()
    phone = serializers.CharField()
    charter_version = serializers.IntegerField(source="signature_version")
    signed_on = serializers.SerializerMethodField()
    verification_url = LinkField("members:verify", "verification_code")
    reporting_status = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_activities(self, place):
        return [activity.slug for activity in place.activities.all()]  # prefetched

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_publics(self, place):
        return [public.slug for public in place.publics.all()]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_signed_on(self, place):
        return place.signed_at.date().isoformat()

    @extend_schema_field(serializers.ChoiceField(choices=PublicReporting.choices, allow_null=True))
    def get_reporting_status(self, place):
        status = public_reporting(getattr(place, "reporting_status", None))
        return status.value if status else None


# --- Signatures -----------------------------------------------------------------------------


class SignatureSerializer(serializers.Serializer):
    """What the public verification page shows: no signatory name, no connection data."""

    verification_code = serializers.CharField()
    place = serializers.SlugField(source="place.slug")
    place_name = serializers.CharField(source="place.name")
    place_commune = serializers.CharField(source="place.commune")
    charter_version = serializers.IntegerField(source="version.number")
    fingerprint = serializers.CharField()
    signatory_title = serializers.CharField()
    signed_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=Signature.State.choices, source="signature_state")
    verification_url = LinkField("members:verify", "verification_code")


# --- Charter --------------------------------------------------------------------------------


class CommitmentSerializer(serializers.Serializer):
    key = serializers.SlugField()
    position = serializers.IntegerField()
    text = serializers.CharField(help_text="Passage du texte faisant foi, mot pour mot.")
    text_en = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    guidance = serializers.CharField()
    guidance_en = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    heading = serializers.CharField()
    heading_en = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    intro = serializers.CharField()
    intro_en = serializers.CharField()
    bullets = serializers.CharField()
    bullets_en = serializers.CharField()
    commitments = CommitmentSerializer(many=True)


class CharterVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField()
    superseded_at = serializers.DateTimeField(allow_null=True)
    requires_resigning = serializers.BooleanField()
    grace_period_days = serializers.IntegerField()
    fingerprint = serializers.CharField()
    url = AbsoluteURLField(source="get_absolute_url")
    canonical_url = AbsoluteURLField(source="get_canonical_url")
    api_url = LinkField("api:charter-version-detail", "number")


class CharterVersionDetailSerializer(CharterVersionSerializer):
    preamble = serializers.CharField()
    preamble_en = serializers.CharField()
    change_summary = serializers.CharField()
    change_summary_en = serializers.CharField()
    sections = SectionSerializer(many=True)


# --- Reports --------------------------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    commitment = serializers.SlugField(source="commitment.key")
    level = serializers.ChoiceField(choices=Answer.Level.choices, allow_blank=True)
    na_reason = serializers.CharField()
    narrative = serializers.CharField(help_text="Markdown")
    actions = serializers.CharField(help_text="Markdown")


class IndicatorValueSerializer(serializers.Serializer):
    key = serializers.SlugField(source="indicator.key")
    label = serializers.CharField(source="indicator.label")
    label_en = serializers.CharField(source="indicator.label_en")
    unit = serializers.CharField(source="indicator.unit")
    kind = serializers.CharField(source="indicator.kind")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)


class ReportSerializer(serializers.Serializer):
    place = serializers.SlugField(source="place.slug")
    place_name = serializers.CharField(source="place.name")
    campaign = serializers.IntegerField(source="campaign.year")
    campaign_name = serializers.CharField(source="campaign.name")
    charter_version = serializers.IntegerField(source="version.number")
    approved_at = serializers.DateTimeField(allow_null=True)
    api_url = LinkField("api:report-detail", "place.slug", "campaign.year")
    answers = AnswerSerializer(many=True)
    indicators = IndicatorValueSerializer(many=True, source="indicator_values")


# --- Observatory ----------------------------------------------------------------------------


class CampaignFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    opens_on = serializers.DateField()
    due_on = serializers.DateField()
    published_reports = serializers.IntegerField()
    rated_answers = serializers.IntegerField()
    strong_answers = serializers.IntegerField()
    strong_share = serializers.FloatField(help_text="% des réponses notées à 3 ou 4")
    api_url = serializers.URLField()


class LevelCountsSerializer(serializers.Serializer):
    def get_fields(self):
        return {level.value: serializers.IntegerField() for level in Answer.Level}


class CommitmentFiguresSerializer(serializers.Serializer):
    key = serializers.SlugField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    answers = serializers.IntegerField()
    levels = LevelCountsSerializer()
    strong_share = serializers.FloatField()


class IndicatorFiguresSerializer(serializers.Serializer):
    key = serializers.SlugField()
    label = serializers.CharField()
    label_en = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    answers = serializers.IntegerField()
    total = serializers.DecimalField(
        max_digits=20, decimal_places=2, coerce_to_string=False, allow_null=True
    )


class TerritoryFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    listed_places = serializers.IntegerField()
    published_reports = serializers.IntegerField()
    strong_share = serializers.FloatField()


class TerritorySerializer(serializers.Serializer):
    region = serializers.CharField(allow_null=True)
    departement = serializers.CharField(allow_null=True)


class CampaignObservatorySerializer(serializers.Serializer):
    campaign = CampaignFiguresSerializer()
    territory = TerritorySerializer()
    commitments = CommitmentFiguresSerializer(many=True)
    indicators = IndicatorFiguresSerializer(many=True)
    regions = TerritoryFiguresSerializer(many=True)
    departements = TerritoryFiguresSerializer(many=True)
