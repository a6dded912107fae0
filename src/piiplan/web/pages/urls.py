from django.urls import path

from piiplan.web.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
]
