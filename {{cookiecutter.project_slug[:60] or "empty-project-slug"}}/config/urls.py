from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import {% if cookiecutter.include_example_app %}include, {% endif %}path

from {{ cookiecutter.project_slug }}.core import views as core_views
from {{ cookiecutter.project_slug }}.users import views as user_views

urlpatterns = [
    path("", user_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/signup/", user_views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
{%- if cookiecutter.include_example_app %}
    path("posts/", include("{{ cookiecutter.project_slug }}.blog.urls")),
{%- endif %}
    path(settings.ADMIN_URL, admin.site.urls),
]

if "debug_toolbar" in settings.INSTALLED_APPS:  # development only (settings/dev.py)
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
