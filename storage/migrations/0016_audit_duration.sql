-- How long a ban or mute lasts, in seconds, so that /modlog can say it: 0 for a ban for good, NULL for every other
-- action (and for a sanction logged before this column whose row is gone: its length was not kept).
ALTER TABLE audit_log ADD COLUMN duration INTEGER;
-- A sanction still in force was set by its newest entry (same user, same second): its length is known.
UPDATE audit_log SET duration = (
    SELECT coalesce(b.until - b.created_at, 0) FROM bans b
    WHERE b.user_id = CAST(audit_log.target_id AS INTEGER) AND b.created_at = audit_log.created_at
) WHERE action = 'ban';
UPDATE audit_log SET duration = (
    SELECT m.until - m.created_at FROM mutes m
    WHERE m.user_id = CAST(audit_log.target_id AS INTEGER) AND m.created_at = audit_log.created_at
) WHERE action = 'mute';
