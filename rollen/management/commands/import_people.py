"""manage.py import_people FILE [--dry-run] [--deactivate-missing]: the same import as the
page /rollen/import/, for scheduled runs. Columns are recognised by their names."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rollen.imports import (
    FIELDS,
    ImportFileError,
    guess_mapping,
    import_apply,
    import_plan,
    mapping_problems,
    read_table,
)


class Command(BaseCommand):
    help = (
        "Import people, team memberships and roles from a CSV file of the HR system "
        "(columns e.g. personeelsnummer;naam;e-mail;team;rollen;sinds). All or nothing; "
        "importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (; , or tab separated) or XLSX file")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change; change nothing"
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="mark people with a personnel number who are not in the file inactive",
        )

    def handle(self, *args, file, dry_run, deactivate_missing, **options):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            table = read_table(path.read_bytes())
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        mapping = guess_mapping(table.header)
        self.stdout.write(_("Columns:"))
        for name, index in mapping.items():
            column = table.header[index] if index is not None else "-"
            self.stdout.write(f"  {FIELDS[name]}: {column}")
        problems = mapping_problems(mapping, table.header)
        if problems:
            raise CommandError(
                " ".join(problems)
                + " "
                + _(
                    "Give the columns names that can be recognised, for example "
                    "personeelsnummer;naam;e-mail;team;rollen;sinds."
                )
            )
        plan = import_plan(table=table, mapping=mapping, deactivate_missing=deactivate_missing)
        line: str | int | None
        for action in plan.actions:
            line = _("line %(line)s: ") % {"line": action.row} if action.row else ""
            self.stdout.write(f"  {line}{action.description}")
        if plan.has_problems:
            for line, problem in plan.problems:
                self.stderr.write("  " + _("line %(line)s: ") % {"line": line or "-"} + problem)
            raise CommandError(
                ngettext(
                    "%(count)d problem in the file: nothing was changed.",
                    "%(count)d problems in the file: nothing was changed.",
                    len(plan.problems),
                )
                % {"count": len(plan.problems)}
            )
        if not plan.actions:
            self.stdout.write(
                self.style.SUCCESS(_("Import done: nothing to change, all was up to date."))
            )
            return
        if dry_run:
            self.stdout.write(
                _("Dry run: %(count)d changes found; nothing was changed.")
                % {"count": len(plan.actions)}
            )
            return
        try:
            plan = import_apply(
                table=table,
                mapping=mapping,
                deactivate_missing=deactivate_missing,
                filename=path.name,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Import done: %(count)d changes from %(file)s.")
                % {"count": len(plan.actions), "file": path.name}
            )
        )
