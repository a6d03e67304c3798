from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Login with the labels of mi32.md."""

    username = forms.CharField(label="Brugernavn", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label="Adgangskode", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Forkert brugernavn eller adgangskode.",
        "inactive": "Brugeren er deaktiveret.",
    }
