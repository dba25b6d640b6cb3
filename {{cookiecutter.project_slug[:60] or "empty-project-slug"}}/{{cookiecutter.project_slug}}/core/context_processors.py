from django.conf import settings
from django.http import HttpRequest


def project(request: HttpRequest) -> dict[str, str]:
    """Expose the project's name to every template (titles, header)."""
    return {"project_name": settings.PROJECT_NAME}
