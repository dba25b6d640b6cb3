"""How far behind the task worker is: what an operator checks first when e-mail
is late, and what a monitoring job can scrape."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = (
        "Print the tasks waiting to run and how long the oldest has waited, then "
        "those running, scheduled for later and failed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = DBTaskResult.objects.ready().aggregate(
            count=Count("pk"), oldest=Min("enqueued_at")
        )
        waited = timezone.now() - (waiting["oldest"] or timezone.now())
        queued = DBTaskResult.objects.filter(status="READY").count()
        figures = {
            "waiting": waiting["count"],
            "oldest_waiting_s": round(waited.total_seconds()),
            "running": DBTaskResult.objects.running().count(),
            "scheduled": queued - waiting["count"],
            "failed": DBTaskResult.objects.failed().count(),
        }
        line = " ".join(f"{name}={value}" for name, value in figures.items())
        self.stdout.write(line)
