from django.db import migrations

# Membership events written before the audit log's pseudonyms (core 0004) named the member in their summary
# ("Full Name — Role @ Organisation"). They get the member as their subject and a summary without the person
# (role @ organisation), as accounts.services.membership_summary writes now; members already erased have their
# pseudonym blanked. One rewrite of those rows, with the append-only trigger disabled for it; none is deleted.
MOVE_NAMES = """
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only;
INSERT INTO core_auditidentity (user_id, label)
    SELECT DISTINCT membership.user_id, ''
    FROM core_auditevent AS event
    JOIN accounts_membership AS membership ON event.object_id = membership.id::text
    WHERE event.object_type = 'accounts.membership'
ON CONFLICT (user_id) DO NOTHING;
UPDATE core_auditidentity AS identity SET label = person.email
    FROM accounts_user AS person
    WHERE person.id = identity.user_id AND identity.label = '' AND identity.erased_at IS NULL
      AND person.erased_at IS NULL;
UPDATE core_auditidentity AS identity SET label = '', erased_at = coalesce(identity.erased_at, person.erased_at)
    FROM accounts_user AS person
    WHERE person.id = identity.user_id AND person.erased_at IS NOT NULL;
UPDATE core_auditevent AS event
    SET subject_identity_id = identity.id,
        summary = membership.role || coalesce(' @ ' || organisation.name || ' (' || coalesce(organisation.country_id, 'None') || ')', '')
    FROM accounts_membership AS membership
    JOIN core_auditidentity AS identity ON identity.user_id = membership.user_id
    LEFT JOIN accounts_organisation AS organisation ON organisation.id = membership.organisation_id
    WHERE event.object_type = 'accounts.membership' AND event.object_id = membership.id::text
      AND event.subject_identity_id IS NULL;
ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only;
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_api_tokens"), ("core", "0004_audit_identities")]

    operations = [migrations.RunSQL(MOVE_NAMES, migrations.RunSQL.noop)]
