from django.urls import include, path

urlpatterns = [
    path("", include("fourfirsts.core.urls")),
    path("accounts/", include("fourfirsts.accounts.urls")),
    path("registry/", include("fourfirsts.registry.urls")),
    path("agenda/", include("fourfirsts.agenda.urls")),
    path("service/", include("fourfirsts.service.urls")),
    path("volunteering/", include("fourfirsts.volunteering.urls")),
    path("membership/", include("fourfirsts.membership.urls")),
    path("governance/", include("fourfirsts.governance.urls")),
    path("reports/", include("fourfirsts.reports.urls")),
    path("exchange/", include("fourfirsts.exchange.urls")),
    path("api/v1/", include("fourfirsts.api.urls")),
]
