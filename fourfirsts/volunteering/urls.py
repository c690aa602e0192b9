from django.urls import path

from fourfirsts.volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_edit, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("mine/", views.my_hours, name="my_hours"),
    path("confirm/", views.confirm_queue, name="confirm_queue"),
    path("kinds/", views.kind_list, name="kind_list"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/new/", views.village_edit, name="village_create"),
    path("villages/<int:pk>/", views.village_detail, name="village_detail"),
    path("villages/<int:pk>/edit/", views.village_edit, name="village_edit"),
    path("villages/<int:pk>/pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/edit/", views.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/projects/new/", views.project_create, name="project_create"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("donations/", views.donation_list, name="donation_list"),
    path("donations/new/", views.donation_edit, name="donation_create"),
    path("donations/<int:pk>/edit/", views.donation_edit, name="donation_edit"),
]
