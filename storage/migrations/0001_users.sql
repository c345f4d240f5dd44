-- People the bot has seen, and the language each one reads.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,           -- Telegram user id
    first_name    TEXT    NOT NULL DEFAULT '',
    last_name     TEXT,
    username      TEXT,
    language_code TEXT,                          -- as Telegram reports it
    language      TEXT CHECK (language IN ('fa', 'en')),  -- chosen with /language; NULL = derive
    first_seen_at INTEGER NOT NULL,              -- unix seconds
    last_seen_at  INTEGER NOT NULL
);

CREATE INDEX users_username ON users (lower(username)) WHERE username IS NOT NULL;

-- Small named values the bot keeps across restarts.
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
