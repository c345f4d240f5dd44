-- Subscriptions: what reaches each reader in private chat, and the digests sent so far.
CREATE TABLE subscriptions (
    user_id    INTEGER PRIMARY KEY,
    mode       TEXT    NOT NULL CHECK (mode IN ('instant', 'digest', 'off')),
    updated_at INTEGER NOT NULL
);
CREATE INDEX subscriptions_mode ON subscriptions (mode);

-- A reader's filters; none means every story. kind: topic (a hashtag), source (a feed id), keyword.
CREATE TABLE subscription_filters (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('topic', 'source', 'keyword')),
    value   TEXT    NOT NULL,               -- as shown to the reader
    key     TEXT    NOT NULL,               -- what is matched: folded phrase, topic name or feed id
    UNIQUE (user_id, kind, key)
);

-- Topics readers can pick: the hashtags of stories, numbered so that buttons carry only a number.
CREATE TABLE topics (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL UNIQUE,
    last_used INTEGER NOT NULL
);

-- One row per digest period, written before anything is sent: a restart or a second scheduler finds it
-- and sends nothing twice. state: sent, skipped (missed beyond the grace period) or empty.
CREATE TABLE digests (
    slot         TEXT    PRIMARY KEY,       -- the scheduled time in the configured zone, ISO, or manual-<ts>
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('sent', 'skipped', 'empty')),
    stories      INTEGER NOT NULL DEFAULT 0,
    recipients   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);

-- Full-text search over each story's matching form, plus its adjacent word pairs written together, so that
-- `رئیس جمهور`, `رئیس‌جمهور` and `رئیسجمهور` find the same stories. rowid = articles.id.
CREATE VIRTUAL TABLE articles_search USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
