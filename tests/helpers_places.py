"""Where a test place is: its département and région derived from its postcode by the rule the
place form applies (``members.geography``), so that no test builds a Brest in Ille-et-Vilaine."""

from members import geography


def located(postcode, commune, latitude=None, longitude=None):
    """A place's address fields (``**located("29200", "Brest")``); the factory's position is
    kept unless ``latitude`` and ``longitude`` are given."""
    departement = geography.departement_for_postcode(postcode)
    assert departement, f"{postcode} is in no département"
    fields = {
        "postcode": postcode,
        "commune": commune,
        "departement": departement,
        "region": geography.region_for_departement(departement),
    }
    if latitude is not None:
        fields.update(latitude=latitude, longitude=longitude)
    return fields
