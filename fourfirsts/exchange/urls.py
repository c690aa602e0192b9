from django.urls import path

from fourfirsts.exchange import views

app_name = "exchange"
urlpatterns = [
    path("workbook/", views.workbook_page, name="workbook"),
    path("workbook/export/", views.workbook_export, name="export"),
    path("workbook/template/", views.workbook_template, name="template"),
]
