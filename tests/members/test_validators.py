"""RNA, SIRET (Luhn) and postcode validators, and the postcode → département → région table."""

import pytest
from django.core.exceptions import ValidationError

from members import geography, validators
from tests.factories import siret_with_luhn


@pytest.mark.parametrize("value", ["W123456789", "w123456789", " W 123 456 789 "])
def test_rna_accepts_w_and_nine_digits(value):
    validators.validate_rna(value)
    assert validators.normalise_rna(value) == "W123456789"


@pytest.mark.parametrize("value", ["123456789", "W12345678", "W1234567890", "X123456789", ""])
def test_rna_refuses_other_shapes(value):
    with pytest.raises(ValidationError):
        validators.validate_rna(value)


def test_siret_luhn_accepts_valid_number_typed_with_spaces():
    validators.validate_siret("732 829 320 00074")  # a real SIRET (Luhn-valid)
    assert validators.normalise_siret("732 829 320 00074") == "73282932000074"


@pytest.mark.parametrize("n", [1, 42, 123456])
def test_siret_luhn_accepts_generated_numbers(n):
    validators.validate_siret(siret_with_luhn(n))


def test_siret_refuses_one_wrong_digit():
    good = "73282932000074"
    bad = good[:-1] + "5"
    with pytest.raises(ValidationError) as exc:
        validators.validate_siret(bad)
    assert exc.value.code == "invalid_siret_checksum"


@pytest.mark.parametrize("value", ["7328293200007", "732829320000745", "7328293200007A", ""])
def test_siret_refuses_wrong_length_or_letters(value):
    with pytest.raises(ValidationError) as exc:
        validators.validate_siret(value)
    assert exc.value.code == "invalid_siret"


@pytest.mark.parametrize(
    ("postcode", "departement", "region"),
    [
        ("35000", "35", "53"),
        ("75011", "75", "11"),
        ("01000", "01", "84"),
        ("20000", "2A", "94"),  # Ajaccio
        ("20167", "2A", "94"),
        ("20200", "2B", "94"),  # Bastia
        ("20600", "2B", "94"),
        ("97400", "974", "04"),  # La Réunion
        ("97110", "971", "01"),  # Guadeloupe
        ("97300", "973", "03"),  # Guyane
        ("97600", "976", "06"),  # Mayotte
        ("98800", "988", "COM"),  # Nouvelle-Calédonie
    ],
)
def test_postcode_gives_departement_and_region(postcode, departement, region):
    validators.validate_postcode(postcode)
    assert geography.departement_for_postcode(postcode) == departement
    assert geography.region_for_departement(departement) == region


@pytest.mark.parametrize("value", ["3500", "350000", "ABCDE", "97900", "00100", ""])
def test_postcode_refuses_unknown_codes(value):
    with pytest.raises(ValidationError):
        validators.validate_postcode(value)
