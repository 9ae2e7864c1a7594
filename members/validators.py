"""Validators for French legal identifiers and postcodes, shared by forms, models and services.

``normalise_*`` functions tidy what users type (spaces, lower case); ``validate_*`` functions
raise a translated ``ValidationError`` on the normalised value.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import geography

RNA_RE = re.compile(r"^W\d{9}$")
SIRET_RE = re.compile(r"^\d{14}$")
SEPARATORS_RE = re.compile(r"[\s.\-]+")


def normalise_rna(value):
    """ " w 123 456 789 " → "W123456789"."""
    return SEPARATORS_RE.sub("", value or "").upper()


def normalise_siret(value):
    """ "123 456 789 00012" → "12345678900012"."""
    return SEPARATORS_RE.sub("", value or "")


def _luhn_sum(digits, doubled_parity):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == doubled_parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total


def luhn_is_valid(digits):
    return _luhn_sum(digits, doubled_parity=1) % 10 == 0


def luhn_check_digit(body):
    """The digit that makes ``body`` + digit pass the Luhn check (as SIRET numbers do)."""
    return str((10 - _luhn_sum(body, doubled_parity=0) % 10) % 10)


def validate_rna(value):
    if not RNA_RE.match(normalise_rna(value)):
        raise ValidationError(
            _("Le numéro RNA commence par la lettre W suivie de 9 chiffres (ex. : W123456789)."),
            code="invalid_rna",
        )


def validate_siret(value):
    siret = normalise_siret(value)
    if not SIRET_RE.match(siret):
        raise ValidationError(
            _("Le SIRET compte exactement 14 chiffres (ex. : 123 456 789 00012)."),
            code="invalid_siret",
        )
    if not luhn_is_valid(siret):
        raise ValidationError(
            _("Ce SIRET n’est pas valide : vérifiez qu’aucun chiffre n’a été inversé ou oublié."),
            code="invalid_siret_checksum",
        )


def validate_postcode(value):
    if geography.departement_for_postcode((value or "").strip()) is None:
        raise ValidationError(
            _("Saisissez un code postal français à 5 chiffres (ex. : 35000, 20000, 97400)."),
            code="invalid_postcode",
        )


def _validate_range(value, bounds, message, code):
    low, high = bounds
    if value is not None and not low <= value <= high:
        raise ValidationError(message, code=code, params={"low": int(low), "high": int(high)})


def validate_latitude(value):
    _validate_range(
        value,
        geography.LATITUDE_RANGE,
        _("La latitude doit être comprise entre %(low)s et %(high)s (France et outre-mer)."),
        "latitude_range",
    )


def validate_longitude(value):
    _validate_range(
        value,
        geography.LONGITUDE_RANGE,
        _("La longitude doit être comprise entre %(low)s et %(high)s."),
        "longitude_range",
    )
