"""What every benchmark command shares: figures printed one ``name=value`` line
each, so that a script or a spreadsheet can read them."""

from django.core.management.base import BaseCommand


class BenchCommand(BaseCommand):
    def report(self, **figures: object) -> None:
        for name, value in figures.items():
            value = f"{value:.2f}" if isinstance(value, float) else value
            self.stdout.write(f"{name}={value}")
