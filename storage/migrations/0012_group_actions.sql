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
