"""Reads of users: each selector fetches exactly the columns its caller needs."""

from .models import User


def user_get(*, user_id: int) -> User:
    """What the welcome e-mail needs: the address, and whether it was sent."""
    return User.objects.only("email", "welcomed_at").get(pk=user_id)
