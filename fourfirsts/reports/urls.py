from django.urls import path

from fourfirsts.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/<str:figure_id>/", views.figure_detail, name="figure"),
    path("annual/", views.annual, name="annual"),
    path("annual/render/", views.annual_render, name="annual_render"),
    path("annual/publish/", views.annual_publish, name="annual_publish"),
    path("downloads/<str:key>/", views.download, name="download"),
    path("published/", views.published_list, name="published_list"),
    path("published/<int:pk>/", views.published_detail, name="published_detail"),
    path("published/<int:pk>/<str:fmt>/", views.published_file, name="published_file"),
]
