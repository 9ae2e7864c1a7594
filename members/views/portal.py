"""The member portal, /espace/: the places of the signed-in user."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from members.models import Membership


@login_required
def dashboard(request):
    memberships = (
        Membership.objects.filter(user=request.user).select_related("place").order_by("place__name")
    )
    return render(request, "members/dashboard.html", {"memberships": memberships})
