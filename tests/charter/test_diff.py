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
