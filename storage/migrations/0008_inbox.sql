-- The inbox: every update Telegram sent, stored before Telegram is told it arrived (the next getUpdates
-- offset, or the webhook's 200), handled from here and marked done. seq keeps arrival order (Telegram's
-- update ids restart at a random number after a quiet week); update_id makes a re-delivery a no-op.
-- Done rows are kept a day (Telegram re-delivers for at most 24 hours), then pruned.
CREATE TABLE inbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id   INTEGER NOT NULL UNIQUE,
    payload     TEXT    NOT NULL,               -- the update's JSON as Telegram sent it
    received_at REAL    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    starts      INTEGER NOT NULL DEFAULT 0,     -- process starts that found it unhandled
    handled_at  REAL
);
CREATE INDEX inbox_pending ON inbox (seq) WHERE state = 'pending';
CREATE INDEX inbox_handled ON inbox (handled_at) WHERE state != 'pending';

-- Sent outbox rows are pruned after OUTBOX_RETENTION_DAYS; this index finds them.
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE state = 'sent';
