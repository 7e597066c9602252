"""python manage.py createuser --role manager|salesops EMAIL [--password ...]"""

from django.core.management.base import BaseCommand, CommandError

from accounts.roles import ROLE_GROUPS
from accounts.services import OnboardingError, provision_user


class Command(BaseCommand):
    help = ("Create a staff user whose username is EMAIL with one role (Managers read calls and dashboards; "
            "Sales ops also edit mappings, qualification, dispositions and reps). Run again to change the role.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(ROLE_GROUPS)}.")
        parser.add_argument("--password", help="Set this password. Without it a new user gets a generated one "
                                               "(printed once) and an existing user keeps theirs.")

    def handle(self, *args, email: str, role: str, password: str | None, **options):
        role = role.strip().lower()
        try:
            done = provision_user(email=email, role=role, password=password)
        except OnboardingError as error:
            raise CommandError(str(error)) from error
        action = "Created" if done.created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{action} {done.user.username} with the role {ROLE_GROUPS[role]}."))
        if done.generated_password:
            self.stdout.write(f"Password: {done.generated_password}  (shown once; they can change it in the admin)")
        elif password is None:
            self.stdout.write("Password unchanged.")
