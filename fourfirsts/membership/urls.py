from django.urls import path

from fourfirsts.membership import views

app_name = "membership"
urlpatterns = [
    path("", views.board, name="board"),
    path("apply/", views.development_create, name="development_create"),
    path("person/<int:pk>/", views.person_development, name="person_development"),
    path("<int:pk>/", views.development_detail, name="development_detail"),
    path("<int:pk>/step/", views.step_create, name="step_create"),
    path("<int:pk>/review/", views.review_create, name="review_create"),
    path("<int:pk>/extend/", views.probation_extend, name="probation_extend"),
]
