from django.urls import path

from piiplan.web.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("ho-so/", views.profile, name="profile"),
    path("chi-so/", views.indicators, name="indicators"),
    path("chi-so/<str:code>/", views.indicator, name="indicator"),
    path("do-tin-cay/", views.uncertainty, name="uncertainty"),
]
