from django.urls import path

from piiplan.web.accounts import admin_views, exports, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login, name="login"),
    path("dang-xuat/", views.logout, name="logout"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("dat-lai-mat-khau/<str:uidb64>/<str:token>/", admin_views.password_reset_confirm, name="password_reset_confirm"),
    path("nguoi-dung/", admin_views.users, name="users"),
    path("nguoi-dung/tao/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", admin_views.user_edit, name="user_edit"),
    path("nguoi-dung/<int:pk>/khoa/", views.user_deactivate, name="user_deactivate"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.user_activate, name="user_activate"),
    path("nguoi-dung/<int:pk>/go-chan-dang-nhap/", admin_views.user_unlock, name="user_unlock"),
    path("nguoi-dung/<int:pk>/lien-ket-dat-lai/", admin_views.user_reset_link, name="user_reset_link"),
    path("nguoi-dung/<int:pk>/mat-khau-tam/", admin_views.user_temp_password, name="user_temp_password"),
    path("co-quan/", admin_views.agencies, name="agencies"),
    path("co-quan/tao/", admin_views.agency_create, name="agency_create"),
    path("co-quan/<int:pk>/", admin_views.agency_edit, name="agency_edit"),
    path("co-quan/<int:pk>/gop/", admin_views.agency_merge, name="agency_merge"),
    path("co-quan/<int:pk>/ngung/", admin_views.agency_retire, name="agency_retire"),
    path("co-quan/<int:pk>/khoi-phuc/", admin_views.agency_restore, name="agency_restore"),
    path("nguoi-dung.csv", exports.users_csv, name="users_csv"),
    path("co-quan.csv", exports.agencies_csv, name="agencies_csv"),
]
