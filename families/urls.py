from django.urls import include, path

urlpatterns = [
    path("", include("families.urls_staff")),
    path("", include("families.urls_family")),
]
