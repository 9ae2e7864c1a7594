"""Version 1 is the network's text word for word; commitments quote it; aids stay aids."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from charter.models import Commitment, Section
from charter.services import publication_warnings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "charter" / "data" / "charter_v1_seed.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_e2e5d83ee48d08ee.txt"

KEYS = {
    Section.Kind.VALUES: [
        "valeur-laicite",
        "valeur-partage",
        "valeur-cooperation",
        "valeur-proximite",
        "valeur-mixite-sociale",
        "valeur-solidarite",
    ],
    Section.Kind.PRINCIPLES: [
        "principe-ouverture-a-tous",
        "principe-non-lucratif",
        "principe-apolitique",
        "principe-fonctionnement-democratique",
        "principe-gestion-desinteressee",
    ],
    Section.Kind.AMBITIONS: [
        "ambition-innovation-sociale",
        "ambition-ancrage-territorial",
        "ambition-modele-social-cogere",
        "ambition-valorisation-savoirs",
        "ambition-economie-mixte",
        "ambition-professionnalisation",
        "ambition-emploi",
    ],
}


def normalised(lines):
    """Non-blank lines with their whitespace collapsed."""
    return [" ".join(line.split()) for line in lines if line.strip()]


class TextLines(HTMLParser):
    """The lines of the verbatim text on a page: one per heading, paragraph or bullet (a
    bullet starts with "• ", as in the seed)."""

    BLOCKS = {"h1", "h2", "h3", "h4", "p", "li"}

    def __init__(self, html):
        super().__init__()
        self.lines, self.current = [], None
        start = html.index('<div class="charter-verbatim" lang="fr">')
        self.feed(html[start : html.index("</div>", start)])

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.current = ["• "] if tag == "li" else []
        elif tag == "br" and self.current is not None:
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self.current is not None:
            self.lines.append("".join(self.current))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def seed_lines():
    return normalised(SEED.read_text(encoding="utf-8").split("\n"))


def test_the_seed_kept_in_the_repository_is_the_networks_file():
    if not SHARED_SEED.exists():
        pytest.skip("the shared seed is not next to this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_charter_page_shows_the_seed_line_by_line(client, v1, language):
    response = client.get("/charte/", headers={"accept-language": language})
    page = normalised(TextLines(response.content.decode()).lines)
    assert page == seed_lines()


def test_a_version_page_shows_the_seed_line_by_line(client, v1):
    page = normalised(TextLines(client.get("/charte/versions/1/").content.decode()).lines)
    assert page == seed_lines()


def test_seed_punctuation_is_kept(v1):
    values, principles, ambitions = v1.sections.order_by("position")
    assert values.intro == "Les LCP défendent"  # no colon
    assert principles.heading == ""  # the seed has no heading there
    assert principles.intro.startswith("En outre, les lieux collectifs de proximité inscrivent")
    assert "En toutes circonstances, les associations garantissent" in principles.intro
    assert values.bullet_list[0] == "Une laïcité respectueuse des différences"  # no full stop
    assert values.bullet_list[2].endswith("son statut.")  # the seed's own full stop
    assert ambitions.bullet_list[2].endswith("se réinventer».")  # « … » as typed
    assert ambitions.bullet_list[5] == "De professionnaliser le fonctionnement de leurs structures"
    assert all("'" not in part for s in (values, principles, ambitions) for part in s.text_parts())


def test_commitment_keys_are_unchanged(v1):
    for section in v1.sections.all():
        keys = section.commitments.order_by("position").values_list("key", flat=True)
        assert list(keys) == KEYS[section.kind]


def test_every_quote_occurs_verbatim_in_its_sections_text(v1):
    commitments = list(v1.commitments.select_related("section"))
    assert len(commitments) == 18
    for commitment in commitments:
        parts = commitment.section.text_parts()
        assert any(commitment.text in part for part in parts), commitment.key
    principle = v1.commitments.get(key="principe-ouverture-a-tous")
    assert principle.text == "en s’ouvrant à tous les publics, notamment les plus fragiles"
    # A value or an ambition quotes its whole bullet.
    for section in v1.sections.exclude(kind=Section.Kind.PRINCIPLES):
        assert [c.text for c in section.commitments.order_by("position")] == section.bullet_list


def test_the_english_translation_is_complete(v1):
    assert publication_warnings(v1) == []
    for section in v1.sections.all():
        heading_en, intro_en, bullets = section.translation()
        assert (heading_en is not None) == bool(section.heading)
        assert intro_en and all(english for _french, english in bullets)
    for commitment in v1.commitments.all():
        assert commitment.title_en and commitment.text_en and commitment.guidance_en


def test_english_page_labels_the_translation_as_non_binding(client, v1):
    html = client.get("/charte/", headers={"accept-language": "en"}).content.decode()
    translation = html[html.index('<div class="charter-translation" lang="en">') :]
    assert translation.index("Shared values") < translation.index("charter-verbatim")
    assert '<span lang="fr">traduction non contractuelle</span>' in html
    assert "Non-binding translation" in html
    french = client.get("/charte/", headers={"accept-language": "fr"}).content.decode()
    assert "charter-translation" not in french


def test_aids_are_shown_apart_from_the_text(client, v1):
    html = client.get("/charte/").content.decode()
    text = html[html.index('<div class="charter-verbatim"') : html.index('id="charter-about"')]
    assert "Une dimension d’intérêt général" not in text  # a short title, not the text's
    assert "Laïcité" not in text and "Comment accueillez-vous" not in text
    aids = html[html.index('id="charter-aids"') :]
    assert "Une dimension d’intérêt général" in aids and "Comment accueillez-vous" in aids


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        (Section.Kind.VALUES, False),
        (Section.Kind.PRINCIPLES, False),
        (Section.Kind.AMBITIONS, True),
        (Section.Kind.OTHER, False),
    ],
)
def test_only_ambitions_may_be_declared_not_applicable(kind, allowed):
    section = Section(kind=kind)
    assert section.allows_not_applicable is allowed
    assert Commitment(section=section).allows_not_applicable is allowed


def test_not_applicable_querysets(v1):
    assert set(Commitment.objects.filter(version=v1).allowing_not_applicable()) == set(
        v1.commitments.filter(key__in=KEYS[Section.Kind.AMBITIONS])
    )
    assert Commitment.objects.filter(version=v1).conditions_of_membership().count() == 11


def test_bullets_are_one_per_line_and_the_translation_matches(v1):
    section = Section(version=v1, title="T", bullets=" Un \r\n\r\nDeux  \n", bullets_en="One")
    with pytest.raises(Exception, match="1 puces et le texte 2"):
        section.clean()
    assert section.bullets == "Un\nDeux"
    section.bullets_en = "One\nTwo"
    section.clean()
    assert section.translation()[2] == [("Un", "One"), ("Deux", "Two")]
    assert re.fullmatch(r"[^\r]*", section.bullets)
