from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.blog"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cache invalidation)
