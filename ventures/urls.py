from django.urls import include, path

urlpatterns = [
    path("", include("ventures.urls_family")),
    path("", include("ventures.urls_staff")),
    path("", include("ventures.urls_funder")),
]
