from django.urls import path

from piiplan.web.accounts import exports, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login, name="login"),
    path("dang-xuat/", views.logout, name="logout"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("nguoi-dung/", views.users, name="users"),
    path("nguoi-dung/tao/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/khoa/", views.user_deactivate, name="user_deactivate"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.user_activate, name="user_activate"),
    path("nguoi-dung.csv", exports.users_csv, name="users_csv"),
    path("co-quan.csv", exports.agencies_csv, name="agencies_csv"),
]
