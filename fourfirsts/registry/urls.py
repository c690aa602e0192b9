from django.urls import path

from fourfirsts.registry import views

app_name = "registry"


def record_urls(kind: str, plural: str, list_view, detail_view, edit_view) -> list:
    """list, new, detail, edit and change history of one kind of record."""
    return [
        path(f"{plural}/", list_view, name=f"{kind}_list"),
        path(f"{plural}/new/", edit_view, name=f"{kind}_create"),
        path(f"{plural}/<int:pk>/", detail_view, name=f"{kind}_detail"),
        path(f"{plural}/<int:pk>/edit/", edit_view, name=f"{kind}_edit"),
        path(f"{plural}/<int:pk>/history/", views.history, {"kind": kind}, name=f"{kind}_history"),
    ]


urlpatterns = [
    path("associations/<int:pk>/status/", views.association_status_add, name="association_status_add"),
    *record_urls(
        "association",
        "associations",
        views.association_list,
        views.association_detail,
        views.association_edit,
    ),
    *record_urls(
        "party_org",
        "party-orgs",
        views.party_org_list,
        views.party_org_detail,
        views.party_org_edit,
    ),
    *record_urls(
        "enterprise",
        "enterprises",
        views.enterprise_list,
        views.enterprise_detail,
        views.enterprise_edit,
    ),
    *record_urls("person", "people", views.person_list, views.person_detail, views.person_edit),
    *record_urls(
        "department",
        "departments",
        views.department_list,
        views.department_detail,
        views.department_edit,
    ),
    *record_urls(
        "instructor_assignment",
        "instructors",
        views.instructor_assignment_list,
        views.instructor_assignment_detail,
        views.instructor_assignment_edit,
    ),
    path("people/<int:pk>/id-number/", views.person_id_number, name="person_id_number"),
    path("coverages/new/", views.coverage_edit, name="coverage_create"),
    path("coverages/<int:pk>/edit/", views.coverage_edit, name="coverage_edit"),
]
