"""Offline table of French régions and départements, and the postcode → département rule.

Codes are INSEE's: départements "01"…"95", "2A"/"2B" for Corsica, "971"…"976" overseas;
régions "11"…"94", "01"…"06" overseas. Collectivités d'outre-mer (Saint-Pierre-et-Miquelon,
Saint-Barthélemy, Saint-Martin, Pacific) share the pseudo-région "COM".
"""

import re

REGIONS = {
    "84": "Auvergne-Rhône-Alpes",
    "27": "Bourgogne-Franche-Comté",
    "53": "Bretagne",
    "24": "Centre-Val de Loire",
    "94": "Corse",
    "44": "Grand Est",
    "32": "Hauts-de-France",
    "11": "Île-de-France",
    "28": "Normandie",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "52": "Pays de la Loire",
    "93": "Provence-Alpes-Côte d’Azur",
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "COM": "Collectivités d’outre-mer",
}

# code: (name, région code)
DEPARTEMENTS = {
    "01": ("Ain", "84"), "02": ("Aisne", "32"), "03": ("Allier", "84"),
    "04": ("Alpes-de-Haute-Provence", "93"), "05": ("Hautes-Alpes", "93"),
    "06": ("Alpes-Maritimes", "93"), "07": ("Ardèche", "84"), "08": ("Ardennes", "44"),
    "09": ("Ariège", "76"), "10": ("Aube", "44"), "11": ("Aude", "76"), "12": ("Aveyron", "76"),
    "13": ("Bouches-du-Rhône", "93"), "14": ("Calvados", "28"), "15": ("Cantal", "84"),
    "16": ("Charente", "75"), "17": ("Charente-Maritime", "75"), "18": ("Cher", "24"),
    "19": ("Corrèze", "75"), "2A": ("Corse-du-Sud", "94"), "2B": ("Haute-Corse", "94"),
    "21": ("Côte-d’Or", "27"), "22": ("Côtes-d’Armor", "53"), "23": ("Creuse", "75"),
    "24": ("Dordogne", "75"), "25": ("Doubs", "27"), "26": ("Drôme", "84"), "27": ("Eure", "28"),
    "28": ("Eure-et-Loir", "24"), "29": ("Finistère", "53"), "30": ("Gard", "76"),
    "31": ("Haute-Garonne", "76"), "32": ("Gers", "76"), "33": ("Gironde", "75"),
    "34": ("Hérault", "76"), "35": ("Ille-et-Vilaine", "53"), "36": ("Indre", "24"),
    "37": ("Indre-et-Loire", "24"), "38": ("Isère", "84"), "39": ("Jura", "27"),
    "40": ("Landes", "75"), "41": ("Loir-et-Cher", "24"), "42": ("Loire", "84"),
    "43": ("Haute-Loire", "84"), "44": ("Loire-Atlantique", "52"), "45": ("Loiret", "24"),
    "46": ("Lot", "76"), "47": ("Lot-et-Garonne", "75"), "48": ("Lozère", "76"),
    "49": ("Maine-et-Loire", "52"), "50": ("Manche", "28"), "51": ("Marne", "44"),
    "52": ("Haute-Marne", "44"), "53": ("Mayenne", "52"), "54": ("Meurthe-et-Moselle", "44"),
    "55": ("Meuse", "44"), "56": ("Morbihan", "53"), "57": ("Moselle", "44"),
    "58": ("Nièvre", "27"), "59": ("Nord", "32"), "60": ("Oise", "32"), "61": ("Orne", "28"),
    "62": ("Pas-de-Calais", "32"), "63": ("Puy-de-Dôme", "84"),
    "64": ("Pyrénées-Atlantiques", "75"), "65": ("Hautes-Pyrénées", "76"),
    "66": ("Pyrénées-Orientales", "76"), "67": ("Bas-Rhin", "44"), "68": ("Haut-Rhin", "44"),
    "69": ("Rhône", "84"), "70": ("Haute-Saône", "27"), "71": ("Saône-et-Loire", "27"),
    "72": ("Sarthe", "52"), "73": ("Savoie", "84"), "74": ("Haute-Savoie", "84"),
    "75": ("Paris", "11"), "76": ("Seine-Maritime", "28"), "77": ("Seine-et-Marne", "11"),
    "78": ("Yvelines", "11"), "79": ("Deux-Sèvres", "75"), "80": ("Somme", "32"),
    "81": ("Tarn", "76"), "82": ("Tarn-et-Garonne", "76"), "83": ("Var", "93"),
    "84": ("Vaucluse", "93"), "85": ("Vendée", "52"), "86": ("Vienne", "75"),
    "87": ("Haute-Vienne", "75"), "88": ("Vosges", "44"), "89": ("Yonne", "27"),
    "90": ("Territoire de Belfort", "27"), "91": ("Essonne", "11"),
    "92": ("Hauts-de-Seine", "11"), "93": ("Seine-Saint-Denis", "11"),
    "94": ("Val-de-Marne", "11"), "95": ("Val-d’Oise", "11"),
    "971": ("Guadeloupe", "01"), "972": ("Martinique", "02"), "973": ("Guyane", "03"),
    "974": ("La Réunion", "04"), "976": ("Mayotte", "06"),
    "975": ("Saint-Pierre-et-Miquelon", "COM"), "977": ("Saint-Barthélemy", "COM"),
    "978": ("Saint-Martin", "COM"), "986": ("Wallis-et-Futuna", "COM"),
    "987": ("Polynésie française", "COM"), "988": ("Nouvelle-Calédonie", "COM"),
}  # fmt: skip

POSTCODE_RE = re.compile(r"^\d{5}$")


def departement_for_postcode(postcode):
    """Return the département code of a French postcode, or None if it matches none.

    Corsica: 20000–20199 → 2A (Corse-du-Sud), 20200–20999 → 2B (Haute-Corse).
    Overseas (97x, 98x): the first three digits.
    """
    postcode = (postcode or "").strip()
    if not POSTCODE_RE.match(postcode):
        return None
    if postcode.startswith("20"):
        return "2A" if int(postcode) < 20200 else "2B"
    if postcode[:2] in ("97", "98"):
        code = postcode[:3]
    else:
        code = postcode[:2]
    return code if code in DEPARTEMENTS else None


def region_for_departement(code):
    return DEPARTEMENTS[code][1] if code in DEPARTEMENTS else None


def departement_name(code):
    return DEPARTEMENTS[code][0] if code in DEPARTEMENTS else ""


def region_name(code):
    return REGIONS.get(code, "")


DEPARTEMENT_CHOICES = sorted(
    ((code, f"{code} – {name}") for code, (name, _r) in DEPARTEMENTS.items()),
    key=lambda c: c[0].zfill(3),
)
REGION_CHOICES = sorted(REGIONS.items(), key=lambda c: c[1])


# --- Approximate positions (no geocoding service: the portal works offline) ---------------------

DEPARTEMENT_CENTRES = {
    "01": (46.205, 5.225), "02": (49.564, 3.620), "03": (46.566, 3.333),
    "04": (44.092, 6.236), "05": (44.559, 6.079), "06": (43.710, 7.262),
    "07": (44.735, 4.599), "08": (49.762, 4.726), "09": (42.965, 1.607),
    "10": (48.297, 4.074), "11": (43.213, 2.351), "12": (44.350, 2.575),
    "13": (43.296, 5.370), "14": (49.183, -0.371), "15": (44.927, 2.440),
    "16": (45.649, 0.156), "17": (46.160, -1.151), "18": (47.081, 2.399),
    "19": (45.267, 1.771), "2A": (41.919, 8.738), "2B": (42.697, 9.450),
    "21": (47.322, 5.041), "22": (48.514, -2.765), "23": (46.171, 1.872),
    "24": (45.184, 0.721), "25": (47.238, 6.024), "26": (44.933, 4.892),
    "27": (49.027, 1.151), "28": (48.446, 1.489), "29": (47.996, -4.102),
    "30": (43.837, 4.360), "31": (43.605, 1.444), "32": (43.646, 0.586),
    "33": (44.838, -0.579), "34": (43.611, 3.877), "35": (48.117, -1.678),
    "36": (46.811, 1.686), "37": (47.394, 0.685), "38": (45.188, 5.724),
    "39": (46.675, 5.555), "40": (43.890, -0.500), "41": (47.586, 1.336),
    "42": (45.440, 4.387), "43": (45.043, 3.885), "44": (47.218, -1.554),
    "45": (47.903, 1.909), "46": (44.448, 1.441), "47": (44.203, 0.616),
    "48": (44.518, 3.500), "49": (47.478, -0.563), "50": (49.116, -1.091),
    "51": (48.957, 4.363), "52": (48.111, 5.139), "53": (48.073, -0.770),
    "54": (48.692, 6.184), "55": (48.773, 5.160), "56": (47.658, -2.760),
    "57": (49.120, 6.176), "58": (46.990, 3.159), "59": (50.629, 3.057),
    "60": (49.430, 2.081), "61": (48.432, 0.091), "62": (50.291, 2.778),
    "63": (45.778, 3.087), "64": (43.295, -0.371), "65": (43.233, 0.078),
    "66": (42.699, 2.895), "67": (48.573, 7.752), "68": (48.079, 7.358),
    "69": (45.764, 4.836), "70": (47.622, 6.155), "71": (46.307, 4.828),
    "72": (48.006, 0.199), "73": (45.564, 5.918), "74": (45.899, 6.129),
    "75": (48.857, 2.352), "76": (49.443, 1.099), "77": (48.540, 2.660),
    "78": (48.805, 2.120), "79": (46.323, -0.465), "80": (49.894, 2.296),
    "81": (43.929, 2.148), "82": (44.018, 1.355), "83": (43.124, 5.928),
    "84": (43.949, 4.806), "85": (46.670, -1.426), "86": (46.580, 0.340),
    "87": (45.834, 1.262), "88": (48.173, 6.451), "89": (47.798, 3.567),
    "90": (47.638, 6.863), "91": (48.629, 2.441), "92": (48.892, 2.207),
    "93": (48.908, 2.440), "94": (48.790, 2.455), "95": (49.036, 2.076),
    "971": (15.998, -61.726), "972": (14.616, -61.059), "973": (4.938, -52.326),
    "974": (-20.882, 55.451), "976": (-12.781, 45.228),
    "975": (46.781, -56.178), "977": (17.896, -62.850), "978": (18.068, -63.083),
    "986": (-13.282, -176.174), "987": (-17.535, -149.569), "988": (-22.276, 166.458),
}  # fmt: skip
"""Approximate centre of each département: ``{code: (latitude, longitude)}`` in WGS 84.

The point is the préfecture (the chef-lieu for the collectivités d'outre-mer), rounded to three
decimals (about 100 m). Every code of ``DEPARTEMENTS`` has one; it places on the map a place that
gave no coordinates, and the place is then flagged ``position_is_approximate``.
"""

# Bounds accepted for a place's coordinates: metropolitan France and every overseas territory
# above (Nouméa at 22°S, Saint-Pierre at 47°N, Wallis at 176°W, Nouméa at 166°E).
LATITUDE_RANGE = (-25.0, 52.0)
LONGITUDE_RANGE = (-180.0, 180.0)


def approximate_position(departement):
    """Return ``(latitude, longitude)`` of the département's préfecture, or None if unknown.

    ``DEPARTEMENT_CENTRES`` is the offline fallback used when a place gives no coordinates:
    one point per département of ``DEPARTEMENTS`` (Corsica, DROM and COM included), precise to
    about 100 m, good enough to put a place on a map of France, not to find its door.
    """
    return DEPARTEMENT_CENTRES.get(departement or "")


_CENTRES = frozenset(DEPARTEMENT_CENTRES.values())


def is_departement_centre(latitude, longitude):
    """True if the point is one of ``DEPARTEMENT_CENTRES`` (an approximate, filled-in position)."""
    return (latitude, longitude) in _CENTRES
