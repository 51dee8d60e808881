from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mutuality import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Near the top: the providers' hooks come in bursts, and each pattern before is a test.
    path("hooks/", include("messaging.urls_hooks")),
    path("family/", views.family_home, name="family_home"),
    path("funder/", views.funder_home, name="funder_home"),
    path("p/<slug:partner_slug>/", views.partner_home, name="partner_home"),
    path("", include("accounts.urls")),
    path("", include("families.urls")),
    path("", include("surveys.urls")),
    path("", include("messaging.urls")),
    path("", include("changemakers.urls")),
    path("", include("changemakers.urls_trends")),
    path("", include("changemakers.urls_diffusion")),
    path("", include("changemakers.urls_candidates")),
    path("", include("changemakers.urls_features")),
    path("", include("ventures.urls")),
    path("", include("families.urls_family_requests")),
    path("", include("surveys.urls_practices")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("accounts.api_urls")),
    path("api/v1/", include("families.api_urls")),
    path("api/v1/", include("surveys.api_urls")),
    path("api/v1/", include("changemakers.api_urls")),
    path("api/v1/", include("ventures.api_urls")),
    path("api/v1/", include("messaging.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's init script as a file (no inline script: see the CSP).
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
]

handler400 = "mutuality.views.bad_request"
handler403 = "mutuality.views.permission_denied"
handler404 = "mutuality.views.page_not_found"
handler500 = "mutuality.views.server_error"
