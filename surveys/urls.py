from django.urls import include, path

urlpatterns = [
    path("", include("surveys.urls_staff")),
    path("", include("surveys.urls_family")),
]
