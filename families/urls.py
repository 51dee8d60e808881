from django.urls import include, path

from families.views import welcome

urlpatterns = [
    path("", include("families.urls_staff")),
    path("", include("families.urls_family")),
    path("welcome/<str:token>/", welcome.family_welcome, name="family_welcome"),
    path(
        "p/<slug:partner_slug>/families/<int:family_id>/sign-in-link/",
        welcome.family_account_link,
        name="family_account_link",
    ),
]
