-- Sanctions carried into the discussion group: stored in the transaction that records the sanction and its
-- audit entry, done once Telegram confirms (or refuses for good); pending ones are retried at start.
CREATE TABLE group_actions (
    id         INTEGER PRIMARY KEY,
    action     TEXT    NOT NULL,             -- ban, unban, mute, unmute
    user_id    INTEGER NOT NULL,             -- negative: a chat posting in the group (sender_chat)
    until      INTEGER,                      -- the sanction's end; NULL: permanent or not applicable
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    done_at    INTEGER,                      -- NULL while pending
    last_error TEXT                          -- Telegram's refusal, when it refused for good
);
CREATE INDEX group_actions_pending ON group_actions (id) WHERE done_at IS NULL;

-- Fan-outs whose messages are all queued: a story's instant alerts (`alerts:<article id>`) and a digest's channel
-- and personal messages (`digest:<slot>`). A posted story or a sent digest without its row here was cut short by
-- a crash: its messages are derived again at start (the outbox keys keep each message once).
CREATE TABLE fanouts_done (
    event   TEXT    PRIMARY KEY,
    done_at INTEGER NOT NULL
);
INSERT INTO fanouts_done (event, done_at) SELECT 'alerts:' || id, coalesce(posted_at, 0) FROM articles
    WHERE state = 'posted';
INSERT INTO fanouts_done (event, done_at) SELECT 'digest:' || slot, created_at FROM digests;
