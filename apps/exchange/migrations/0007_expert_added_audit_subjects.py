from django.db import migrations

# "Expert added" events written before the audit log's pseudonyms (core 0004) carried the expert's e-mail address
# in their summary. They get the expert as their subject (a pseudonym, blanked when the member is erased) and an
# empty summary. Where no account has that address any more (the member was erased, or the account is gone) the
# address is removed and no subject is recorded: the log must not name an erased person. One rewrite of those
# rows, with the append-only trigger disabled for it; none is deleted.
MOVE_ADDRESSES = """
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only;
INSERT INTO core_auditidentity (user_id, label)
    SELECT DISTINCT person.id, person.email
    FROM core_auditevent AS event
    JOIN accounts_user AS person ON lower(person.email) = lower(event.summary) AND person.erased_at IS NULL
    WHERE event.action = 'exchange.expert_add' AND event.subject_identity_id IS NULL AND event.summary <> ''
ON CONFLICT (user_id) DO NOTHING;
UPDATE core_auditevent AS event
    SET subject_identity_id = identity.id, summary = ''
    FROM accounts_user AS person
    JOIN core_auditidentity AS identity ON identity.user_id = person.id
    WHERE event.action = 'exchange.expert_add' AND event.subject_identity_id IS NULL AND event.summary <> ''
      AND lower(person.email) = lower(event.summary) AND person.erased_at IS NULL;
UPDATE core_auditevent SET summary = ''
    WHERE action = 'exchange.expert_add' AND subject_identity_id IS NULL AND summary <> '';
ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0006_decision_refuses_truncate"),
        ("core", "0004_audit_identities"),
        ("accounts", "0006_membership_audit_subjects"),
    ]

    operations = [migrations.RunSQL(MOVE_ADDRESSES, migrations.RunSQL.noop)]
