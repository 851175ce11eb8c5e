"""Import of existing skills lists (CSV or XLSX) by office staff.

1. ``import_batch_upload``: the file is read (UTF-8 CSV or XLSX) into one ``ImportRow`` per line.
2. ``import_batch_check_start``: the staff member maps columns to profile fields; a Celery task runs the dry
   run (``import_batch_check_run``): each row is validated and compared with existing profiles (same e-mail or
   phone, or a close name with the same birth date) and with the rows above it.
3. ``import_batch_apply_start``: a Celery task (``import_batch_apply_run``) creates an account and a profile for
   each ready row. Rows go in bulk, a chunk at a time inside a savepoint; when a chunk fails, its rows are
   retried one by one, each in its own savepoint, so each row is applied entirely or not at all.
4. The imported members get an invitation to claim their account and confirm their profile, in their
   language (or the office's). They are not listed in the skills bank until they consent themselves.

While a step runs, the worker counts on the batch, with each chunk's rows, the rows processed, accepted and
rejected against the rows that step goes through (``rows_to_process``: every row for the dry run, the ready ones
for the import); the progress page polls them. Occupations are ISCO-08 codes or names in any of the three
languages, read by the wizard's vocabulary search (``cleaning.occupation_by_name``).

Modules: ``columns`` (fields, header guesses, mapping), ``reading`` (CSV/XLSX), ``cleaning`` (a cleaner per
column), ``duplicates``, ``writing`` (row results, members in bulk), ``jobs`` (the steps and the worker's runs),
``invitations``.
"""

from .cleaning import ROW_CLEANERS, Lookups, clean_row
from .columns import IMPORT_FIELDS, REQUIRED_FIELDS, guess_mapping, row_values
from .invitations import import_invitations_send_run, invitation_message
from .jobs import (
    CHUNK,
    import_batch_apply_run,
    import_batch_apply_start,
    import_batch_check_run,
    import_batch_check_start,
    import_batch_fail,
    import_batch_upload,
)
from .reading import MAX_FILE_BYTES, MAX_ROWS, ImportFileError, read_table
from .writing import import_rows_apply

__all__ = [
    "CHUNK",
    "IMPORT_FIELDS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "REQUIRED_FIELDS",
    "ROW_CLEANERS",
    "ImportFileError",
    "Lookups",
    "clean_row",
    "guess_mapping",
    "import_batch_apply_run",
    "import_batch_apply_start",
    "import_batch_check_run",
    "import_batch_check_start",
    "import_batch_fail",
    "import_batch_upload",
    "import_invitations_send_run",
    "import_rows_apply",
    "invitation_message",
    "read_table",
    "row_values",
]
