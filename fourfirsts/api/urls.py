from django.urls import path

from fourfirsts.api.api import api

urlpatterns = [path("", api.urls)]
