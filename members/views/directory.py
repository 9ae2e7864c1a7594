"""The public directory of signatory places, /annuaire/."""

from django.shortcuts import render


def directory(request):
    return render(request, "members/directory.html", {"places": []})
