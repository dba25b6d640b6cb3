import math
from typing import Any

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import throttling
from .forms import QueuedPasswordResetForm, SignUpForm
{%- if cookiecutter.use_service_layer %}
from .services import user_create
{%- endif %}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, log it in and go home; the form shows what is wrong."""
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST":
        email = request.POST.get("email", "")
        if wait := throttling.retry_after("signup", request, account=email):
            return too_many_attempts(request, wait)
        throttling.count_attempt("signup", request, account=email)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
{%- if cookiecutter.use_service_layer %}
            user = user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
{%- else %}
            user = form.save()
{%- endif %}
        except ValidationError as error:  # the address was taken meanwhile
            form.add_error(None, error)
        else:
            login(request, user)
            return redirect("home")
    return render(request, "users/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's login view, refusing a client address or an account that has
    failed too often in the current window (throttling.py)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = request.POST.get("username", "")
        if wait := throttling.retry_after("login", request, account=account):
            return too_many_attempts(request, wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        account = self.request.POST.get("username", "")
        throttling.count_attempt("login", self.request, account=account)
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, sending through the task worker, and refusing a
    client address or an account that asked too often in the current window: each
    request queues an e-mail, so one address could otherwise flood an inbox."""

    form_class = QueuedPasswordResetForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = request.POST.get("email", "")
        if wait := throttling.retry_after("password_reset", request, account=account):
            return too_many_attempts(request, wait)
        throttling.count_attempt("password_reset", request, account=account)
        return super().post(request, *args, **kwargs)


def too_many_attempts(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429, saying when to try again, in words and in Retry-After."""
    minutes = math.ceil(retry_after / 60)
    response = render(
        request, "too_many_attempts.html", {"minutes": minutes}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response
