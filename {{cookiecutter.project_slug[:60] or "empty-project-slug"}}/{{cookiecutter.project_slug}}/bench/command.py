"""What every benchmark command shares: options declared as data, and figures
printed one ``name=value`` line each, so that a script or a spreadsheet can read
them."""

from typing import ClassVar

from django.core.management.base import BaseCommand, CommandParser


class BenchCommand(BaseCommand):
    # Each option's default by name; the option (--mail-delay for mail_delay)
    # takes values of its default's type.
    option_defaults: ClassVar[dict[str, int | float]] = {}

    def add_arguments(self, parser: CommandParser) -> None:
        for name, default in self.option_defaults.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}", type=type(default), default=default
            )

    def report(self, **figures: object) -> None:
        for name, value in figures.items():
            value = f"{value:.2f}" if isinstance(value, float) else value
            self.stdout.write(f"{name}={value}")
