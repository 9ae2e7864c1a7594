import pytest

from charter import services
from charter.diff import Segment, diff_versions, word_diff

pytestmark = pytest.mark.django_db


def test_word_diff_marks_insertions_and_deletions():
    segments = word_diff(
        "Une laïcité respectueuse des différences.",
        "Une laïcité ouverte et respectueuse des différences.",
    )
    assert segments == [
        Segment("equal", "Une laïcité"),
        Segment("insert", " ouverte et"),
        Segment("equal", " respectueuse des différences."),
    ]
    assert "".join(s.text for s in segments if s.op != "delete") == (
        "Une laïcité ouverte et respectueuse des différences."
    )
    assert "".join(s.text for s in segments if s.op != "insert") == (
        "Une laïcité respectueuse des différences."
    )


def test_word_diff_replacement():
    segments = word_diff("le partage", "la solidarité")
    assert segments == [
        Segment("delete", "le"),
        Segment("insert", "la"),
        Segment("equal", " "),
        Segment("delete", "partage"),
        Segment("insert", "solidarité"),
    ]


def test_diff_detects_added_removed_reworded_moved(v1, v2):
    diff = diff_versions(v1, v2)
    assert [c.key for c in diff.added] == ["ambition-numerique"]
    assert [c.key for c in diff.removed] == ["valeur-solidarite"]
    assert [c.key for c in diff.reworded] == ["valeur-laicite"]
    assert [c.key for c in diff.moved] == ["valeur-proximite"]
    assert len(diff.unchanged) == 15  # 18 - 1 removed - 1 reworded - 1 moved
    assert diff.has_changes
    inserted = "".join(s.text for s in diff.reworded[0].text_diff() if s.op == "insert")
    assert "ouverte" in inserted


def test_an_insertion_does_not_move_the_following_commitments(v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    section = draft.sections.order_by("position").first()
    for c in section.commitments.all():
        c.position += 1
        c.save()
    section.commitments.create(
        version=draft, key="valeur-nouvelle", position=1, title="N", text="N."
    )
    diff = diff_versions(v1, draft)
    assert [c.key for c in diff.added] == ["valeur-nouvelle"]
    assert diff.moved == []


def test_reordering_is_a_move(v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    first = draft.commitments.get(key="valeur-laicite")
    first.position = 50
    first.save()
    diff = diff_versions(v1, draft)
    assert [c.key for c in diff.moved] == ["valeur-laicite"]
    assert diff.reworded == []


def test_same_version_has_no_changes(v1):
    diff = diff_versions(v1, v1)
    assert not diff.has_changes
    assert len(diff.unchanged) == 18


# --- Every part of the text, and the aids ------------------------------------------------


def _publish(draft, coordinator):
    return services.publish_version(
        version=draft, by=coordinator, requires_resigning=False, grace_period_days=180
    )


def test_a_preamble_change_shows_in_the_public_diff(client, v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    draft.preamble = draft.preamble.replace("un socle", "un socle durable")
    draft.save()
    v2 = _publish(draft, coordinator)
    diff = diff_versions(v1, v2)
    assert [(c.label, c.status) for c in diff.text_changes] == [("Préambule", "reworded")]
    assert "".join(s.text for s in diff.text_changes[0].segments() if s.op == "insert") == (
        "durable "
    )
    assert diff.signed_text_changed and len(diff.unchanged) == 18
    html = client.get("/charte/versions/1/diff/2/").content.decode()
    text = html[html.index('id="diff-text"') : html.index('id="diff-added"')]
    assert "Préambule" in text and "Reformulé" in text
    assert '<ins><span class="visually-hidden">[ajouté : </span>durable <span' in text


def test_headings_intros_and_bullets_added_removed_reworded(v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    values, principles, ambitions = draft.sections.order_by("position")
    bullets = values.bullet_list
    bullets[1] = "Le partage des savoirs"  # reworded
    del bullets[5]  # removed
    values.bullets = "\n".join([*bullets, "L’écologie"])  # added at the end
    values.heading = "Nos valeurs communes"
    values.save()
    principles.heading = "Une dimension d’intérêt général"  # added
    principles.save()
    ambitions.intro = ""  # removed
    ambitions.save()
    diff = diff_versions(v1, draft)
    changes = [(c.label, c.status) for c in diff.text_changes]
    assert changes == [
        ("« Nos valeurs communes » : intitulé", "reworded"),
        ("« Nos valeurs communes » : puce 2", "reworded"),
        ("« Nos valeurs communes » : puce 6", "reworded"),
        ("« Une dimension d’intérêt général » : intitulé", "added"),
        ("« Des ambitions communes » : introduction", "removed"),
    ]
    # "La solidarité" (6th) became "L’écologie": a bullet replaced in place is reworded.
    assert diff.text_changes[2].old == "La solidarité"
    assert diff.text_changes[2].new == "L’écologie"


def test_an_inserted_bullet_is_added_not_a_cascade_of_rewordings(v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    values = draft.sections.get(kind="values")
    values.bullets = "L’écologie\n" + values.bullets
    values.save()
    diff = diff_versions(v1, draft)
    assert [(c.label, c.status, c.new) for c in diff.text_changes] == [
        ("« Des valeurs communes » : puce 1", "added", "L’écologie")
    ]


def test_aids_are_diffed_apart_from_the_signed_text(client, v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    draft.preamble_en = "Another English preamble"
    draft.save()
    section = draft.sections.get(kind="principles")
    section.title = "L’intérêt général"
    section.save()
    commitment = draft.commitments.get(key="valeur-partage")
    commitment.title = "Le partage"
    commitment.guidance = "Que partagez-vous ?"
    commitment.save()
    v2 = _publish(draft, coordinator)
    diff = diff_versions(v1, v2)
    assert not diff.signed_text_changed and diff.has_changes
    assert diff.text_changes == [] and diff.reworded == []
    assert [(c.label, c.lang) for c in diff.aid_changes] == [
        ("Préambule (traduction anglaise)", "en"),
        ("« L’intérêt général » : titre court", "fr"),
    ]
    change = diff.with_aid_changes[0]
    assert change.key == "valeur-partage" and change.guidance_changed and not change.unchanged
    assert [c.label for c in change.aid_changes] == ["Titre court", "Questions pour le bilan"]
    html = client.get("/charte/versions/1/diff/2/").content.decode()
    aids = html[html.index('id="diff-aids"') :]
    assert (
        "Préambule (traduction anglaise)" in aids
        and '<div class="charter-diff-words" lang="en">' in aids
    )
    assert "Questions pour le bilan" in aids and "partagez-vous" in aids
    assert "seules des aides à la lecture ont changé" in html
    assert v2.fingerprint != v1.fingerprint  # the number differs; the text does not


def test_sections_are_paired_by_kind(v1, coordinator):
    draft = services.create_draft_from(version=v1, by=coordinator)
    draft.sections.get(kind="principles").delete()
    diff = diff_versions(v1, draft)
    removed = [c for c in diff.text_changes if c.status == "removed"]
    assert [c.label for c in removed] == ["« Une dimension d’intérêt général » : introduction"]
    assert len(diff.removed) == 5
    assert diff.moved == []
