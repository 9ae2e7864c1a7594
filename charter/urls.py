from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("", views.current, name="current"),
    path("versions/", views.version_list, name="versions"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("versions/<int:a>/diff/<int:b>/", views.version_diff, name="diff"),
]
