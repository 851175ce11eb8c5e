"""The invitations imported members get to claim their account, in their language."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from apps.accounts.models import User

from ...models import ImportBatch, ImportRow


def invitation_message(*, user: User, office_name: str, base_url: str):
    """The invitation e-mail to claim an imported profile, in the member's language."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.urls import reverse

    with override(user.preferred_language):
        key = default_token_generator.make_token(user)
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
        base = base_url.rstrip("/")
        context = {
            "user": user,
            "office": office_name,
            "claim_url": base + path,
            "reset_url": base + reverse("account_reset_password"),
        }
        subject = render_to_string("skills/staff/email/invitation_subject.txt", context).strip()
        body = render_to_string("skills/staff/email/invitation.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[user.email])


def import_invitations_send_run(*, batch_id: int, limit: int = 1000) -> int:
    """Send the invitations not sent yet for a batch (a chunk at a time); returns how many were sent."""
    from django.core.mail import get_connection

    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    office = batch.organisation.name if batch.organisation is not None else ""
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                batch.rows.select_for_update(skip_locked=True, of=("self",))
                .filter(status=ImportRow.Status.IMPORTED, invited_at__isnull=True, profile__isnull=False)
                .select_related("profile__user")
                .order_by("number")[:limit]
            )
            if not rows:
                return sent
            messages = [
                invitation_message(user=row.profile.user, office_name=office, base_url=batch.base_url)
                for row in rows
                if row.profile is not None  # the query asks for rows with a profile
            ]
            with get_connection() as mail:
                mail.send_messages(messages)
            now = timezone.now()
            ImportRow.objects.filter(pk__in=[row.pk for row in rows]).update(invited_at=now)
            sent += len(rows)
