from django.urls import path

from fourfirsts.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("progress/<str:key>/", views.progress_view, name="progress"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/workdays/", views.workday_schedules, name="workdays"),
    path("files/<str:token>/", views.attachment_download, name="attachment"),
]
