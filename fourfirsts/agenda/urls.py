from django.urls import path

from fourfirsts.agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_edit, name="topic_create"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/push/", views.topic_push, name="topic_push"),
    path("topics/<int:pk>/delete/", views.topic_delete, name="topic_delete"),
    path("orgs/<int:pk>/", views.org_agenda, name="org_agenda"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_edit, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/qr.svg", views.meeting_qr, name="meeting_qr"),
    path("sign-in/<str:token>/", views.meeting_sign_in, name="meeting_sign_in"),
    path("compliance/", views.compliance_rollup, name="compliance"),
    path("compliance/<int:pk>/", views.compliance_org, name="compliance_org"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("lectures/", views.lecture_list, name="lecture_list"),
    path("lectures/new/", views.lecture_create, name="lecture_create"),
    path("lectures/<int:pk>/edit/", views.lecture_edit, name="lecture_edit"),
]
