"""Reads of users: each selector fetches exactly the columns its caller needs."""

from .models import User


def user_get(*, user_id: int) -> User:
    return User.objects.only("email").get(pk=user_id)
