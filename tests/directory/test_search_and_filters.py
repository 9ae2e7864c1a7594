"""Search `q`, the filters, their combination, invalid values, pagination."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Place
from members.search import search_places
from tests import factories
from tests.helpers_places import located

pytestmark = pytest.mark.django_db


def names(response):
    return [place.name for place in response.context["page"].object_list]


@pytest.fixture
def places(listed_place):
    return {
        "rennes": listed_place(
            name="Maison de Quartier Élan",
            **located("35000", "Rennes"),
            activities=["culture", "numerique"],
            publics=["familles"],
            description="Ateliers d’écriture et café associatif.",
        ),
        "brest": listed_place(
            name="Centre Social Kerangoff",
            **located("29200", "Brest"),
            activities=["alimentation"],
            publics=["seniors"],
            description="Une épicerie solidaire et des jardins partagés.",
        ),
        "lyon": listed_place(
            name="Tiers-Lieu La Cordée",
            **located("69001", "Lyon"),
            activities=["culture", "tiers-lieu"],
            publics=["jeunes"],
            description="Espace de coworking et fabrique numérique.",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("élan", ["Maison de Quartier Élan"]),
        ("ELAN", ["Maison de Quartier Élan"]),
        ("epicerie", ["Centre Social Kerangoff"]),  # description, accent typed or not
        ("ÉPICERIE SOLIDAIRE", ["Centre Social Kerangoff"]),
        ("lyon", ["Tiers-Lieu La Cordée"]),  # commune
        ("cordee", ["Tiers-Lieu La Cordée"]),
        ("Renn", ["Maison de Quartier Élan"]),  # a word being typed
        ("piscine", []),
    ],
)
def test_search_ignores_case_and_accents(client, places, query, expected):
    assert names(client.get("/annuaire/", {"q": query})) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French stemming needs PostgreSQL")
def test_search_matches_french_plurals_on_postgresql(client, places):
    # "jardin" (singular) finds "jardins partagés"; "ateliers" finds "atelier" forms too.
    assert names(client.get("/annuaire/", {"q": "jardin"})) == ["Centre Social Kerangoff"]
    assert names(client.get("/annuaire/", {"q": "épiceries"})) == ["Centre Social Kerangoff"]
    assert names(client.get("/annuaire/", {"q": "atelier"})) == ["Maison de Quartier Élan"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_search_is_served_by_the_indexes_on_postgresql(places):
    # Each part of the search reads an index, never every place's text: the full-text
    # part place_search_idx, the partial words the trigram indexes on the folded name and
    # commune. (Sequential scans are turned off: the test table is too small to need one.)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search_places(Place.objects.all(), "Renn").explain()
    assert "place_search_idx" in plan
    assert "place_name_trgm_idx" in plan and "place_commune_trgm_idx" in plan
    found = search_places(Place.objects.all(), "Renn")
    assert [place.name for place in found] == ["Maison de Quartier Élan"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "53"}, ["Centre Social Kerangoff", "Maison de Quartier Élan"]),
        ({"region": "84"}, ["Tiers-Lieu La Cordée"]),
        ({"departement": "29"}, ["Centre Social Kerangoff"]),
        ({"activite": "culture"}, ["Maison de Quartier Élan", "Tiers-Lieu La Cordée"]),
        ({"public": "seniors"}, ["Centre Social Kerangoff"]),
        ({"region": "53", "activite": "culture"}, ["Maison de Quartier Élan"]),
        ({"activite": "culture", "public": "jeunes"}, ["Tiers-Lieu La Cordée"]),
        ({"q": "numérique", "region": "84"}, ["Tiers-Lieu La Cordée"]),
        ({"region": "84", "departement": "29"}, []),
    ],
)
def test_filters_and_combinations(client, places, params, expected):
    response = client.get("/annuaire/", params)
    assert names(response) == expected
    assert response.context["count"] == len(expected)
    assert response.context["ignored"] == []


def test_engagement_filter_uses_latest_published_report(client, places, past_campaign, campaign):
    key = "valeur-partage"
    # Rennes: rated 3 last year, 1 this year → its latest published report says 1: not shown.
    factories.published_report(places["rennes"], past_campaign, levels={key: "3"})
    factories.published_report(places["rennes"], campaign, levels={key: "1"})
    # Brest: exemplary in its only report.
    factories.published_report(places["brest"], past_campaign, levels={key: "4"})
    # Lyon: established, but chose not to publish: the public cannot learn it.
    factories.published_report(places["lyon"], campaign, levels={key: "3"}, publish=False)
    assert names(client.get("/annuaire/", {"engagement": key})) == ["Centre Social Kerangoff"]
    assert names(client.get("/annuaire/", {"engagement": key, "region": "84"})) == []
    assert names(client.get("/annuaire/", {"engagement": "valeur-laicite"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"region": "99"},
        {"departement": "<script>"},
        {"activite": "inconnue"},
        {"public": "x" * 500},
        {"engagement": "nope"},
        {"q": "a" * 500},
        {"page": "abc"},
        {"page": "9999"},
    ],
)
def test_invalid_values_are_ignored_with_a_notice(client, places, params):
    response = client.get("/annuaire/", params)
    assert response.status_code == 200
    assert response.context["count"] == 3  # nothing filtered out
    if "page" not in params:
        assert "ont été ignorés" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_invalid_filter_does_not_drop_the_valid_ones(client, places):
    response = client.get("/annuaire/", {"region": "84", "activite": "inconnue"})
    assert names(response) == ["Tiers-Lieu La Cordée"]
    assert [label for label, _value in response.context["ignored"]] == ["Activité"]


def test_empty_state(client, places):
    response = client.get("/annuaire/", {"q": "introuvable"})
    assert "Aucun lieu ne correspond à votre recherche" in response.content.decode()
    assert response.context["count"] == 0


def test_pagination_keeps_filters(client, listed_place):
    for n in range(30):
        listed_place(name=f"Lieu {n:02d}", region="53", activities=["culture"])
    listed_place(name="Lieu ailleurs", region="84", activities=["culture"])
    response = client.get("/annuaire/", {"region": "53", "activite": "culture"})
    assert response.context["count"] == 30
    assert len(response.context["page"].object_list) == 24
    content = response.content.decode()
    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', content)
    assert links, "a link to page 2"
    assert all("region=53" in link and "activite=culture" in link for link in links)
    page2 = client.get("/annuaire/" + links[0].replace("&amp;", "&"))
    assert len(page2.context["page"].object_list) == 6
    assert "Lieu ailleurs" not in names(page2)
    # Map view and exports links carry the same filters.
    assert "region=53&amp;activite=culture&amp;vue=carte" in content
    assert "/annuaire/export.csv?region=53&amp;activite=culture" in content


def test_map_view_uses_same_filters(client, places):
    response = client.get("/annuaire/", {"region": "53", "vue": "carte"})
    content = response.content.decode()
    assert response.context["count"] == 2
    assert 'data-geojson-url="/annuaire/export.geojson?region=53"' in content
    assert "leaflet/leaflet.js" in content
    assert "<script>" not in content  # no inline script (CSP)
    assert 'style="' not in content


def test_cards_show_badges(client, places, campaign):
    content = client.get("/annuaire/").content.decode()
    assert "Charte v1 signée" in content
    assert "Bilan : à jour" in content
    assert "Culture et pratiques artistiques" in content
    assert "Ille-et-Vilaine (35)" in content


def test_reporting_badges_late_and_non_communicating(client, places, past_campaign):
    """The latest open campaign is past due (300 days ago, 90 days of grace): non communicant."""
    factories.published_report(places["brest"], past_campaign)
    content = client.get("/annuaire/").content.decode()
    assert content.count("Bilan : non communicant") == 2
    assert content.count("Bilan : à jour") == 1


def test_the_filters_quick_select_writes_the_markup_of_djangos_select():
    """QuickSelect (the filters' widget) writes what Django's Select writes, escaping
    included, only faster: the same elements, attributes, texts and selected option."""
    from html.parser import HTMLParser

    from django import forms

    from members.forms.widgets import QuickSelect

    class Parsed(HTMLParser):
        def __init__(self, html):
            super().__init__()
            self.items = []
            self.feed(html)

        def handle_starttag(self, tag, attrs):
            self.items.append((tag, sorted(attrs, key=str)))

        def handle_data(self, data):
            if data.strip():
                self.items.append(("text", data))

    choices = [("", "Toutes"), ("a&b", "Jeux <libres> & « ateliers »"), ("q\"'", "L’été")]
    attrs = {"id": "id_activite", "class": "form-select", "aria-describedby": "aide"}
    for value in ("", "a&b", "q\"'", "absent"):
        quick = QuickSelect(attrs=attrs, choices=choices).render("activite", value)
        django = forms.Select(attrs=attrs, choices=choices).render("activite", value)
        assert Parsed(quick).items == Parsed(django).items
        assert "&lt;libres&gt; &amp;" in quick and "<libres>" not in quick


def test_a_filter_counts_its_matches_up_to_a_limit(client, places, monkeypatch):
    """A search or a filter counts at most COUNT_LIMIT matches (counting every match of a
    commitment filter read the whole network): beyond, the page says "more than" and lists
    the first ones; the unfiltered directory keeps its exact count."""
    from members.views import directory

    monkeypatch.setattr(directory, "COUNT_LIMIT", 1)
    monkeypatch.setattr(directory, "PAGE_SIZE", 1)
    response = client.get("/annuaire/?activite=culture")  # Rennes and Lyon
    content = response.content.decode()
    assert "Plus de 1 lieux trouvés : précisez la recherche" in content
    assert response.context["page"].paginator.num_pages == 1
    assert len(names(response)) == 1
    response = client.get("/annuaire/?activite=alimentation")  # Brest alone
    assert "1 lieu trouvé" in response.content.decode() and names(response) == [
        "Centre Social Kerangoff"
    ]
    response = client.get("/annuaire/?activite=culture&vue=carte")
    assert "Plus de 1 lieux trouvés" in response.content.decode()
    assert "3 lieux trouvés" in client.get("/annuaire/").content.decode()


def test_counts_are_grouped_by_thousands_in_each_language(client, places, monkeypatch):
    """Large counts read as numbers: "12 345 lieux" in French (no-break space), "12,345
    places" in English, on the home page's figures and the directory's counts."""
    from members.views import directory

    figures = {"places": 12345, "departements": 95, "regions": 13, "current_signatures": 10500}
    monkeypatch.setattr(directory, "listed_figures", lambda: figures)
    home = client.get("/").content.decode()
    assert '<span class="figure-value d-block">12\xa0345</span>' in home
    assert '<span class="figure-value d-block">10\xa0500</span>' in home
    assert "12\xa0345 lieux trouvés" in client.get("/annuaire/").content.decode()
    english = {"accept-language": "en"}
    assert "12,345 places found" in client.get("/annuaire/", headers=english).content.decode()
    assert '<span class="figure-value d-block">10,500</span>' in (
        client.get("/", headers=english).content.decode()
    )


def test_a_search_runs_once_for_its_count_and_its_page(client, places, listed_place, monkeypatch):
    """A search's matches are read once, in the directory's order, for the count and the page
    (the search is the costly part of the page); each page then shows its own places, in
    order, with their badges and activities."""
    from members.views import directory

    listed_place(name="Maison Alpha", **located("35000", "Rennes"), activities=["culture"])
    listed_place(name="Maison Beta", **located("29200", "Brest"))
    monkeypatch.setattr(directory, "PAGE_SIZE", 2)
    with CaptureQueriesContext(connection) as captured:
        first = client.get("/annuaire/?q=maison")
    assert len([q for q in captured if "lcp_fold" in q["sql"]]) == 1
    html = first.content.decode()
    assert "3 lieux trouvés" in html and names(first) == ["Maison Alpha", "Maison Beta"]
    assert "Culture" in html and "Charte v1 signée" in html
    second = client.get("/annuaire/?q=maison&page=2")
    assert names(second) == ["Maison de Quartier Élan"]
