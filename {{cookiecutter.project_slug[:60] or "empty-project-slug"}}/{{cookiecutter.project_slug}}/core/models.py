from django.db import models


class TimestampedModel(models.Model):
    """Abstract base of every concrete model: when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
