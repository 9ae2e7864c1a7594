"""The coordinators' admin at scale: no select of every place or account on a form, and list
pages whose query count does not grow with the number of rows."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
    RelatedFieldWidgetWrapper,
)
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import (
    Extension,
    Invitation,
    Membership,
    Place,
    ReminderLog,
    Report,
    ReportTally,
    Signature,
    User,
)
from tests import factories

pytestmark = pytest.mark.django_db

# Tables that grow with the network: a <select> of their rows would be thousands of options.
BIG = {Place, User, Report, Signature, Membership, Invitation, Place.history.model}
SMALL_WIDGETS = (ForeignKeyRawIdWidget, ManyToManyRawIdWidget, AutocompleteSelect)


def _big_choice_fields(form_class):
    for name, field in form_class.base_fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or queryset.model not in BIG:
            continue
        widget = field.widget
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        if not isinstance(widget, SMALL_WIDGETS):
            yield name


@pytest.mark.parametrize(
    "model_admin",
    [model_admin for model_admin in admin.site._registry.values()],
    ids=[model._meta.label for model in admin.site._registry],
)
def test_no_form_lists_a_big_table(coordinator, model_admin):
    """Every foreign key to a big table is a raw id or an autocomplete, on the admin's form and
    on its inlines' (a place's change page never renders 10,000 options)."""
    request = RequestFactory().get("/admin/")
    request.user = coordinator  # a superuser: the widest form
    forms = [model_admin.get_form(request)]
    forms += [
        inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
    ]
    offenders = [f"{form.__name__}.{name}" for form in forms for name in _big_choice_fields(form)]
    assert offenders == []


def _network(size):
    """``size`` member places, each with a representative, a signature, an invitation, a
    report, an extension request and a reminder: every big list has ``size`` rows or more."""
    campaign = factories.CampaignFactory()
    for n in range(size):
        place = factories.MemberPlaceFactory(region="53", departement="35", postcode="35000")
        membership = factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE)
        factories.SignatureFactory(place=place, signed_by=membership.user)
        factories.InvitationFactory(place=place)
        factories.ReportFactory(place=place, campaign=campaign, status=Report.Status.SUBMITTED)
        Extension.objects.create(
            place=place, campaign=campaign, reason="Un imprévu", requested_by=membership.user
        )
        ReminderLog.objects.create(
            place=place,
            kind=ReminderLog.Kind.LATE,
            sent_on="2026-01-01",
            recipients="x@y.z",
            campaign=campaign,
        )
        place.name = f"Renommé {n}"
        place.save()  # a second historical row, with its author unknown


LISTS = [
    "members_place",
    "members_report",
    "members_signature",
    "members_membership",
    "members_invitation",
    "members_extension",
    "members_reminderlog",
    "members_historicalplace",
    "members_user",
]


def _list_queries(client, name, query=""):
    client.get(reverse(f"admin:{name}_changelist") + query)  # sessions, permissions warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"admin:{name}_changelist") + query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["national", "territorial"])
def test_change_lists_run_a_constant_number_of_queries(client, request, role):
    """Columns come from the list query (annotations, list_select_related): the same number of
    queries for 2 and for 6 rows, for each big list, national and territorial."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    _network(2)
    small = {name: _list_queries(client, name) for name in LISTS}
    _network(4)
    large = {name: _list_queries(client, name) for name in LISTS}
    assert large == small


def test_place_list_queries(client, national, django_assert_num_queries):
    """The place list: session, user, its second factor, permissions, the filters' campaign,
    the count and one page of places. No date hierarchy, no second count of the whole table."""
    _network(3)
    client.force_login(national)
    url = reverse("admin:members_place_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = [query["sql"] for query in captured]
    assert not any("django_datetime_trunc" in s or "DATE_TRUNC" in s.upper() for s in sql)
    assert sum("COUNT(*)" in s.upper() for s in sql) == 1


def test_big_lists_show_fifty_rows_with_their_action_checkboxes(client, national):
    """Pages of 50 rows; each row's checkbox (written out, not a widget render) still selects
    the row for an action, labelled for screen readers."""
    for n in range(51):
        factories.MemberPlaceFactory(name=f"Lieu {n:02}")
    client.force_login(national)
    response = client.get(reverse("admin:members_place_changelist"))
    html = response.content.decode()
    assert html.count('class="action-select"') == 50
    first = Place.objects.order_by("name", "pk").first()
    assert (
        f'<input type="checkbox" name="_selected_action" value="{first.pk}" '
        f'class="action-select" aria-label="Choisir cet objet pour une action - {first}">'
    ) in html
    second_page = client.get(reverse("admin:members_place_changelist") + "?p=2")
    assert second_page.content.decode().count('class="action-select"') == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_admin_place_search_is_served_by_the_indexes_on_postgresql(national):
    """Each field the admin searches (icontains: UPPER(field) LIKE) reads its trigram index
    (migration 0026), never every place. (Sequential scans are off: the test table is small.)"""
    factories.MemberPlaceFactory(name="Maison des Habitants", commune="Nevers")
    request = RequestFactory().get("/admin/members/place/", {"q": "Nevers"})
    request.user = national
    model_admin = admin.site._registry[Place]
    queryset, _ = model_admin.get_search_results(request, Place.objects.all(), "Nevers")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = queryset.order_by().explain()  # as counted (the page also sorts by name)
    for field in ["name", "legal_name", "commune", "rna", "siret", "postcode"]:
        assert f"place_{field}_upper_trgm_idx" in plan
    assert [place.name for place in queryset] == ["Maison des Habitants"]
    # The page's 50 rows, in its own order: the matches from those indexes, then sorted, not a
    # walk of the name index of every place testing each one (what PostgreSQL prefers at
    # 100,000 places to sorting the matches: with sorts off, as here, whenever it can).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
    page = model_admin.get_changelist_instance(request).queryset[:50]
    assert "place_name_idx" not in page.explain()


def _change_page_queries(client, place):
    url = reverse("admin:members_place_change", args=[place.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_place_change_page_queries_do_not_grow_with_its_team(client, national):
    """The team, signatures and status history of a place are read-only rows whose titles name
    the place: the same queries for a team of one and of four."""
    client.force_login(national)
    place = factories.MemberPlaceFactory()
    factories.MembershipFactory(place=place)
    small = _change_page_queries(client, place)
    for _n in range(3):
        factories.MembershipFactory(place=place, role=Membership.Role.EDITOR)
    assert _change_page_queries(client, place) == small


def _changelist(client, query="", name="report"):
    url = reverse(f"admin:members_{name}_changelist") + query
    client.get(url)  # sessions, permissions warmed
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    sums = [q["sql"] for q in captured if f"members_{name}tally" in q["sql"]]
    return response, counts, sums


def test_the_report_list_of_a_territory_is_counted_from_the_summary_rows(client, territorial):
    """Neither searched nor filtered, the report list is counted from the summary rows of the
    coordinator's départements, exactly (counting every report of a région grew tenfold with
    the network); filtered, it counts its rows; and rows not yet rebuilt never make the list
    show the whole table."""
    campaigns = [factories.CampaignFactory(), factories.CampaignFactory()]
    for _ in range(28):  # Bretagne: 56 reports
        place = factories.MemberPlaceFactory()
        for campaign in campaigns:
            factories.ReportFactory(place=place, campaign=campaign, status=Report.Status.DRAFT)
    outside = factories.MemberPlaceFactory(region="11", departement="75", postcode="75001")
    factories.ReportFactory(place=outside, campaign=campaigns[0])
    client.force_login(territorial)

    response, counts, sums = _changelist(client)
    assert response.context["cl"].result_count == 56
    assert sums and not counts
    assert len(response.context["cl"].result_list) == 50
    second, _counts, _sums = _changelist(client, "?p=2")
    assert len(second.context["cl"].result_list) == 6

    filtered, counts, sums = _changelist(client, f"?campaign__id__exact={campaigns[0].pk}")
    assert filtered.context["cl"].result_count == 28
    assert counts and not sums

    ReportTally.objects.all().delete()  # summary rows lost: the exact count instead
    response, counts, _sums = _changelist(client)
    assert response.context["cl"].result_count == 56 and counts
    assert len(response.context["cl"].result_list) == 50


def test_the_place_list_is_counted_from_the_summary_rows(client, territorial, national):
    """The place list likewise: the territory's places from the summary rows, the whole
    network's for a national coordinator (exact, where the estimate was approximate)."""
    for _ in range(52):
        factories.PlaceFactory()  # Bretagne
    for _ in range(3):
        factories.PlaceFactory(region="11", departement="75", postcode="75001")
    client.force_login(territorial)
    response, counts, sums = _changelist(client, name="place")
    assert response.context["cl"].result_count == 52 and sums and not counts
    client.force_login(national)
    response, counts, sums = _changelist(client, name="place")
    assert response.context["cl"].result_count == 55 and sums and not counts
    assert len(response.context["cl"].result_list) == 50
    searched, counts, sums = _changelist(client, "?q=Possibles", name="place")
    assert searched.context["cl"].result_count == 55 and counts and not sums


@pytest.mark.parametrize("role", ["national", "territorial"])
def test_the_campaign_list_counts_its_reports_from_the_summary_rows(client, request, role):
    """The campaigns' "sent / started" column sums the summary rows of the coordinator's
    territory: the list never reads the reports (50,000 a campaign at 100,000 places)."""
    campaign = factories.CampaignFactory()
    for status in (Report.Status.DRAFT, Report.Status.SUBMITTED, Report.Status.APPROVED):
        factories.ReportFactory(
            place=factories.MemberPlaceFactory(), campaign=campaign, status=status
        )
    outside = factories.MemberPlaceFactory(region="11", departement="75", postcode="75001")
    factories.ReportFactory(place=outside, campaign=campaign, status=Report.Status.SUBMITTED)
    client.force_login(request.getfixturevalue(role))
    response, _counts, _sums = _changelist(client, name="reportingcampaign")
    expected = "3 / 4" if role == "national" else "2 / 3"
    assert f'<td class="field-report_count">{expected}</td>' in response.content.decode()
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("admin:members_reportingcampaign_changelist"))
    assert not [q for q in captured if '"members_report"' in q["sql"]]


@pytest.mark.parametrize("role", ["national", "territorial"])
def test_the_account_list_counts_the_team_members_of_the_territory(client, request, role):
    """Neither searched nor filtered, the account list is counted from the memberships of
    the territory's places (distinct people) plus the coordinator, not by testing every
    account; the count is the list's, with pages of 50."""
    user = request.getfixturevalue(role)
    two_places = factories.UserFactory()
    for _ in range(60):  # Bretagne (the factories' default): more than a page
        place = factories.MemberPlaceFactory()
        factories.MembershipFactory(place=place)
        factories.MembershipFactory(place=place, user=two_places)
    outside = factories.MemberPlaceFactory(region="11", departement="75", postcode="75001")
    for _ in range(25):
        factories.MembershipFactory(place=outside)
    factories.UserFactory()  # no team: listed to no coordinator
    client.force_login(user)
    response, counts, _sums = _changelist(client, name="user")
    expected = 1 + 60 + 1 + (25 if role == "national" else 0)
    assert response.context["cl"].result_count == expected
    assert not [sql for sql in counts if 'FROM "members_user"' in sql]
    pages = [
        len(_changelist(client, f"?p={page}", name="user")[0].context["cl"].result_list)
        for page in (1, 2)
    ]
    assert pages[0] == 50 and sum(pages) == expected


def _search(model, user, term):
    request = RequestFactory().get("/", {"q": term})
    request.user = user
    queryset = admin.site._registry[model].get_changelist_instance(request).queryset
    return sorted(queryset.values_list("pk", flat=True))


def test_team_search_finds_people_and_places_word_by_word(national):
    """The team, invitation and signature lists search each related table by a subquery
    (RelatedSearchMixin): the same answers as Django's search, every word somewhere."""
    rennes = factories.MemberPlaceFactory(name="Maison Élan")
    brest = factories.MemberPlaceFactory(name="Centre Kerangoff")
    anne = factories.MembershipFactory(
        place=rennes, user=factories.UserFactory(first_name="Anne", last_name="Martin")
    )
    paul = factories.MembershipFactory(
        place=brest,
        user=factories.UserFactory(
            email="paul.martin@exemple.org", first_name="Paul", last_name="Roux"
        ),
    )
    other = factories.MembershipFactory(
        place=brest, user=factories.UserFactory(first_name="Louise", last_name="Durand")
    )
    assert _search(Membership, national, "martin") == sorted([anne.pk, paul.pk])
    assert _search(Membership, national, "martin kerangoff") == [paul.pk]
    assert _search(Membership, national, "KERANGOFF") == sorted([paul.pk, other.pk])
    assert _search(Membership, national, '"anne martin"') == []  # a phrase in one field
    assert _search(Membership, national, "anne maison") == [anne.pk]
    invitation = factories.InvitationFactory(place=brest, email="lea@exemple.org")
    assert _search(Invitation, national, "kerangoff lea") == [invitation.pk]
    signature = factories.SignatureFactory(place=rennes)
    assert _search(Signature, national, "maison") == [signature.pk]
    assert _search(Signature, national, signature.verification_code) == [signature.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_account_and_team_searches_are_served_by_the_indexes_on_postgresql(national):
    """The accounts' fields are searched through their trigram indexes (migration 0031), for
    the account list and, by a subquery, for the team list: never every account."""
    factories.MembershipFactory(user=factories.UserFactory(last_name="Martin"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for model in (User, Membership):
        request = RequestFactory().get("/", {"q": "martin"})
        request.user = national
        queryset = admin.site._registry[model].get_changelist_instance(request).queryset
        plan = queryset.order_by().explain()
        for field in ["email", "first_name", "last_name"]:
            assert f"user_{field}_upper_trgm_idx" in plan, (model, plan)


def test_a_searched_list_counts_its_matches_up_to_a_limit(client, national, monkeypatch):
    """A search or a filter matching most of a big table (a one-letter search of 200,000
    accounts) counts at most COUNT_LIMIT matches, then says "more than"; below the limit, the
    exact count as before. The page still lists the first matches."""
    from members.admin.mixins import EstimatedCountPaginator

    for n in range(4):
        factories.MemberPlaceFactory(name=f"Maison {n}")
    factories.MemberPlaceFactory(name="Tiers-lieu")
    monkeypatch.setattr(EstimatedCountPaginator, "COUNT_LIMIT", 3)
    client.force_login(national)
    url = reverse("admin:members_place_changelist")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url + "?q=maison")
    html = response.content.decode()
    assert "plus de 3 résultats" in html
    assert "Plus de 3 lieux : affinez la recherche ou les filtres." in html
    assert html.count('class="action-select"') == 4  # the page lists every match shown
    (count,) = [q["sql"] for q in captured if "COUNT(*)" in q["sql"].upper()]
    assert "LIMIT 4" in count
    exact = client.get(url + "?q=tiers").content.decode()
    assert "1 résultat" in exact and "plus de" not in exact.lower()
    english = client.get(url + "?q=maison", headers={"accept-language": "en"}).content.decode()
    assert "more than 3 results" in english
    assert "More than 3 places: narrow the search or the filters." in english
