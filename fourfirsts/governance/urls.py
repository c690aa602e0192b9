from django.urls import path

from fourfirsts.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.coverage_view, name="coverage"),
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/new/", views.honour_edit, name="honour_create"),
    path("honours/<int:pk>/", views.honour_detail, name="honour_detail"),
    path("honours/<int:pk>/edit/", views.honour_edit, name="honour_edit"),
    path("establishments/", views.establishment_list, name="establishment_list"),
    path("establishments/new/", views.establishment_create, name="establishment_create"),
    path("establishments/<int:pk>/", views.establishment_detail, name="establishment_detail"),
    path("charters/", views.charter_list, name="charter_list"),
    path("charters/new/", views.charter_edit, name="charter_create"),
    path("charters/<int:pk>/", views.charter_detail, name="charter_detail"),
    path("charters/<int:pk>/edit/", views.charter_edit, name="charter_edit"),
    path("instructors/", views.instructor_list, name="instructor_list"),
    path("instructors/assign/", views.assignment_create, name="assignment_create"),
    path("logs/", views.log_list, name="log_list"),
    path("logs/new/", views.log_edit, name="log_create"),
    path("logs/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("org-checks/", views.org_checks, name="org_checks"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/new/", views.checklist_edit, name="checklist_create"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
    path("checklists/<int:pk>/assess/", views.assessment_create, name="assessment_create"),
    path("support/", views.support_list, name="support_list"),
    path("support/new/", views.support_edit, name="support_create"),
    path("support/<int:pk>/edit/", views.support_edit, name="support_edit"),
]
