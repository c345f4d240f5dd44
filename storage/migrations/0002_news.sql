-- Feeds the bot polls.
CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT    NOT NULL UNIQUE,
    name            TEXT,
    status          TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    pause_reason    TEXT,
    etag            TEXT,
    last_modified   TEXT,
    added_at        INTEGER NOT NULL,
    added_by        INTEGER,
    last_checked_at INTEGER,
    next_check_at   REAL    NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT
);

-- Every story the bot has seen, from a feed or an admin, and what became of it.
CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    public_id          TEXT    NOT NULL UNIQUE,       -- the deep-link payload: A-Za-z0-9 only
    feed_id            INTEGER REFERENCES feeds (id) ON DELETE SET NULL,
    guid               TEXT,
    url                TEXT,
    canonical_url      TEXT,
    title_key          TEXT    NOT NULL,              -- matching form of the title, for identity
    title              TEXT    NOT NULL,
    summary            TEXT    NOT NULL DEFAULT '',
    body               TEXT    NOT NULL DEFAULT '',
    source             TEXT,
    image_url          TEXT,
    hashtags           TEXT    NOT NULL DEFAULT '[]', -- JSON list
    published_at       INTEGER,
    created_at         INTEGER NOT NULL,
    state              TEXT    NOT NULL CHECK (state IN ('seen', 'queued', 'posted', 'failed', 'duplicate')),
    fail_reason        TEXT,
    signature          BLOB,                          -- MinHash of word shingles, for near-duplicates
    duplicate_of       INTEGER REFERENCES articles (id),
    channel_chat_id    INTEGER,
    channel_message_id INTEGER,
    posted_at          INTEGER,
    deleted            INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX articles_feed_guid ON articles (feed_id, guid) WHERE guid IS NOT NULL;
CREATE INDEX articles_canonical_url ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX articles_title_key ON articles (title_key);
CREATE INDEX articles_recent ON articles (created_at) WHERE state IN ('queued', 'posted');
CREATE INDEX articles_posted ON articles (posted_at) WHERE state = 'posted';

-- "Also reported by": the same story from another source, recorded with the first post.
CREATE TABLE article_sources (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    url        TEXT,
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (article_id, source)
);

-- Everything sent in bulk goes through here, so a restart loses nothing that was queued.
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    idempotency_key   TEXT    NOT NULL UNIQUE,
    kind              TEXT    NOT NULL,
    chat_id           TEXT    NOT NULL,
    method            TEXT    NOT NULL,
    payload           TEXT    NOT NULL,               -- JSON Bot API parameters
    fallback          TEXT,                           -- JSON {method, payload} tried once on a 400
    state             TEXT    NOT NULL DEFAULT 'pending'
                              CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dead')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    not_before        REAL    NOT NULL DEFAULT 0,
    created_at        REAL    NOT NULL,
    sent_at           REAL,
    last_error        TEXT,
    result_message_id INTEGER,
    article_id        INTEGER REFERENCES articles (id) ON DELETE SET NULL
);
CREATE INDEX outbox_due ON outbox (not_before, id) WHERE state = 'pending';
CREATE INDEX outbox_state ON outbox (state);

-- Chats that refused our messages (the user blocked the bot, the bot left the channel).
CREATE TABLE unreachable_chats (
    chat_id TEXT    PRIMARY KEY,
    reason  TEXT    NOT NULL,
    since   INTEGER NOT NULL
);

-- What the bot waits for from a user in private chat (an article for /post, a new title, a comment...).
CREATE TABLE pending_inputs (
    user_id    INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    data       TEXT    NOT NULL DEFAULT '{}',         -- JSON
    expires_at INTEGER NOT NULL
);

-- Articles an admin prepared with /post, previewed before publishing.
CREATE TABLE drafts (
    id         INTEGER PRIMARY KEY,
    admin_id   INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    source     TEXT,
    url        TEXT,
    image_url  TEXT,
    hashtags   TEXT    NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    state      TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'published', 'cancelled')),
    preview_message_id INTEGER
);
