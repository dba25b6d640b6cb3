from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from {{ cookiecutter.project_slug }}.core import views as core_views
from {{ cookiecutter.project_slug }}.users import views as user_views

urlpatterns = [
    path("", user_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/signup/", user_views.signup, name="signup"),
    # Django's own account views (login, logout, password change and reset) with
    # the project's templates; login and reset requests are throttled, and the
    # reset e-mail goes through the task worker.
    path("accounts/login/", user_views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        user_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
{%- if cookiecutter.include_example_app %}
    path("posts/", include("{{ cookiecutter.project_slug }}.blog.urls")),
{%- endif %}
    path(settings.ADMIN_URL, admin.site.urls),
]

if "debug_toolbar" in settings.INSTALLED_APPS:  # development only (settings/dev.py)
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
