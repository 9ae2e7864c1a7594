from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("", views.current, name="current"),
]
