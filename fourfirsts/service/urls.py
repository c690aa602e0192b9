"""The service app's URLs: each views module lists its own (`urls`), so the
appeal, visit, policy and public pages stay in their own files."""

from fourfirsts.service.views import appeals, policies, public, visits

app_name = "service"
urlpatterns = [*appeals.urls, *visits.urls, *policies.urls, *public.urls]
