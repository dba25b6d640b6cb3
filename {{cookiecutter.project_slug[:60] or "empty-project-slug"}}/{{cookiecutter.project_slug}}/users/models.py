from typing import Any

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models

from {{ cookiecutter.project_slug }}.core.models import TimestampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """Lowercase the whole address so Alice@Example.com and alice@example.com
        are one account (the unique index then covers both)."""
        return super().normalize_email(email).strip().lower()

    def get_by_natural_key(self, email: str | None) -> "User":
        return self.get(email=self.normalize_email(email))

    def create_user(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError(
                "A superuser must have is_staff=True and is_superuser=True."
            )
        return self.create_user(email, password, **extra_fields)


class User(TimestampedModel, AbstractBaseUser, PermissionsMixin):
    """An account identified by its e-mail address; there is no username."""

    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(
        max_length=80,
        default="Member",
        help_text="Shown beside the user's posts and comments; the e-mail address "
        "never is.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Whether the user can log into the admin site."
    )
    welcomed_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="When the welcome e-mail went out: it goes once.",
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)
{%- if cookiecutter.cache_backend not in ["redis", "memcached"] %}


class AttemptCount(models.Model):
    """Login or sign-up attempts counted in one throttling window (throttling.py)."""

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
{%- endif %}
