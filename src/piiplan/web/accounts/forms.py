from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from piiplan.web.accounts.models import Agency, Role, User


class LoginForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    password = forms.CharField(label="Mật khẩu", strip=False, widget=forms.PasswordInput)

    username.widget.attrs.update({"autofocus": True, "autocomplete": "username"})
    password.widget.attrs.update({"autocomplete": "current-password"})


class UserCreateForm(forms.ModelForm):
    password1 = forms.CharField(label="Mật khẩu", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="Nhập lại mật khẩu", strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "role", "agency"]
        labels = {"username": "Tên đăng nhập"}
        help_texts = {"username": "Chữ, số và các ký tự @ . + - _ (không dấu, không khoảng trắng)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(active=True)
        self.fields["agency"].required = False
        self.fields["agency"].help_text = "Bắt buộc với vai trò đầu mối cơ quan, đơn vị; để trống với vai trò khác."

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Tên đăng nhập này đã có người dùng.")
        return username

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Thư điện tử này đã được dùng cho một tài khoản khác.")
        return email

    def clean(self):
        cleaned = super().clean()
        role, agency = cleaned.get("role"), cleaned.get("agency")
        if role == Role.AGENCY and agency is None:
            self.add_error("agency", "Đầu mối phải thuộc đúng một cơ quan, đơn vị.")
        if role and role != Role.AGENCY and agency is not None:
            self.add_error("agency", "Chỉ vai trò đầu mối cơ quan, đơn vị mới gắn với một cơ quan.")
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Hai mật khẩu không khớp.")
        elif p1:
            candidate = User(username=cleaned.get("username") or "", email=cleaned.get("email") or "")
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user
