from django.shortcuts import render

from .models import CharterVersion


def current(request):
    version = CharterVersion.objects.current()
    return render(request, "charter/current.html", {"version": version})
