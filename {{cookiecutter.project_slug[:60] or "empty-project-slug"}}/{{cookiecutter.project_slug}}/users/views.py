from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import SignUpForm
{%- if cookiecutter.use_service_layer %}
from .services import user_create
{%- endif %}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, log it in and go home; the form shows what is wrong."""
    if request.user.is_authenticated:
        return redirect("home")
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
