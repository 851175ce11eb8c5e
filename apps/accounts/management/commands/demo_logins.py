from django.core.management.base import BaseCommand

from apps.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from apps.core.roles import Role


class Command(BaseCommand):
    help = "Print the portal's address and one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        base = url.rstrip("/")
        lines = [
            "",
            f"  Diaspora Engagement Portal is running at {base}/  (French {base}/fr/, Arabic {base}/ar/)",
            f"  Health: {base}/healthz   API docs: {base}/api/docs/   Sent e-mail: var/outbox/",
            f"  Demo logins (password for all: {DEMO_PASSWORD}):",
        ]
        for email, _name, _language, role, _org in DEMO_USERS:
            lines.append(f"    {Role(role).label!s:<26} {email}")
        lines.append("  Press Ctrl-C to stop everything.")
        self.stdout.write("\n".join(lines) + "\n")
