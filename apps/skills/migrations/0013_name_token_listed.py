from django.db import migrations, models

# What the staff search filters on, carried on the name words; one definition for the backfill and the trigger
# (the words written later take it from the profile in ``profile_search_refresh``).
LISTED = "(p.consent_listed AND p.erased_at IS NULL)"

BACKFILL = f"""
UPDATE skills_profilenametoken n SET listed = true
  FROM skills_diasporaprofile p
 WHERE p.id = n.profile_id AND {LISTED} AND NOT n.listed
"""

# Every change of a profile's listing, by any path (a service, a bulk update(), raw SQL, a superuser's session
# with session_replication_role = replica), rewrites the flag on that profile's name words in the same transaction.
TRIGGER = f"""
CREATE FUNCTION skills_profile_listing_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE skills_profilenametoken n SET listed = (NEW.consent_listed AND NEW.erased_at IS NULL)
     WHERE n.profile_id = NEW.id AND n.listed IS DISTINCT FROM (NEW.consent_listed AND NEW.erased_at IS NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER skills_profile_listing_sync
    AFTER UPDATE OF consent_listed, erased_at ON skills_diasporaprofile
    FOR EACH ROW
    WHEN ((OLD.consent_listed AND OLD.erased_at IS NULL) IS DISTINCT FROM (NEW.consent_listed AND NEW.erased_at IS NULL))
    EXECUTE FUNCTION skills_profile_listing_sync();
ALTER TABLE skills_diasporaprofile ENABLE ALWAYS TRIGGER skills_profile_listing_sync;
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS skills_profile_listing_sync ON skills_diasporaprofile;
DROP FUNCTION IF EXISTS skills_profile_listing_sync();
"""


class Migration(migrations.Migration):
    """The name words carry whether their profile is listed (``ProfileNameToken.listed``), so the staff name
    search reads one index range per word instead of probing the profiles for each match."""

    dependencies = [("skills", "0012_import_progress_counters")]

    operations = [
        migrations.AddField(
            model_name="profilenametoken",
            name="listed",
            field=models.BooleanField(default=False, editable=False, verbose_name="listed and searchable"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="profilenametoken",
            index=models.Index(
                condition=models.Q(("listed", True)), fields=["token", "profile"], name="profile_name_token_listed"
            ),
        ),
        migrations.RunSQL(TRIGGER, DROP_TRIGGER),
    ]
