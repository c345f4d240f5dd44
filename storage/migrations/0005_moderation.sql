-- Moderation: roles, sanctions, word filters, the review queue and the audit log.

-- Admins added by owners (owners themselves come from OWNER_IDS).
CREATE TABLE admins (
    user_id  INTEGER PRIMARY KEY,
    added_by INTEGER NOT NULL,
    added_at INTEGER NOT NULL
);

-- One row per sanctioned user or sender chat; until NULL = permanent.
CREATE TABLE bans (
    user_id    INTEGER PRIMARY KEY,
    until      INTEGER,
    reason     TEXT,
    by_user    INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE mutes (
    user_id    INTEGER PRIMARY KEY,
    until      INTEGER NOT NULL,
    reason     TEXT,
    by_user    INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE warns (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    reason     TEXT,
    by_user    INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX warns_user ON warns (user_id, created_at);

-- banned: a match rejects the comment; suspect: a match holds it for review.
CREATE TABLE word_filters (
    id       INTEGER PRIMARY KEY,
    kind     TEXT    NOT NULL CHECK (kind IN ('banned', 'suspect')),
    phrase   TEXT    NOT NULL,               -- as the admin wrote it
    folded   TEXT    NOT NULL,               -- the evasion-folded form that is matched
    added_by INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    UNIQUE (kind, folded)
);

-- Every moderation action: who, what, on whom or what, why, when.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    actor_id    INTEGER NOT NULL,            -- 0 = the bot itself (automatic actions)
    action      TEXT    NOT NULL,
    target_type TEXT,                        -- user, comment, article, filter, setting
    target_id   TEXT,
    reason      TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (created_at DESC);

-- Why a comment waits in the queue (suspect, premod, new_user, reports), and when it was last reviewed.
ALTER TABLE comments ADD COLUMN hold_reason TEXT;
ALTER TABLE comments ADD COLUMN reviewed_at INTEGER;
-- Reports a moderator has dealt with do not count again.
ALTER TABLE reports ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX comments_queue ON comments (status, created_at) WHERE status = 'pending';
CREATE INDEX reports_user ON reports (user_id, created_at);

-- Whether the user has a private chat with the bot: Telegram refuses messages to anyone else.
ALTER TABLE users ADD COLUMN private_chat INTEGER NOT NULL DEFAULT 0;

-- A locked article's discussion takes no new comments.
ALTER TABLE articles ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
