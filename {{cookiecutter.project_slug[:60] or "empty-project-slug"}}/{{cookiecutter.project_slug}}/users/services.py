"""Writes to users: validation, the transaction, and what happens after commit."""

from functools import partial

from django.db import IntegrityError, transaction

from .models import User
from .tasks import send_welcome_email


def user_create(*, email: str, password: str) -> User:
    """Create an account and, once it is committed, send the welcome e-mail."""
    user = User(email=User.objects.normalize_email(email))
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
            transaction.on_commit(partial(send_welcome_email.enqueue, user_id=user.pk))
    except IntegrityError:
        # A concurrent sign-up took the address after full_clean() looked: report
        # it as full_clean() would have, with the form's "already exists".
        user.validate_unique()
        raise
    return user
