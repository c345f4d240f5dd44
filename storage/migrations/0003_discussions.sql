-- Reader comments: a tree per article (parent NULL = top-level), from the bot or the discussion group.
CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES comments (id),
    depth         INTEGER NOT NULL DEFAULT 0,
    author_id     INTEGER NOT NULL,              -- Telegram user id, or the sender chat's id
    author_name   TEXT    NOT NULL,              -- the name shown, as chosen when writing
    anonymous     INTEGER NOT NULL DEFAULT 0,    -- shown as ناشناس; moderators still see author_id
    text          TEXT    NOT NULL,
    matching      TEXT    NOT NULL,              -- matching form, for search and filters
    status        TEXT    NOT NULL CHECK (status IN ('published', 'pending', 'rejected', 'deleted')),
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    up            INTEGER NOT NULL DEFAULT 0,
    down          INTEGER NOT NULL DEFAULT 0,
    score         INTEGER NOT NULL DEFAULT 0,    -- up - down
    origin        TEXT    NOT NULL CHECK (origin IN ('bot', 'group')),
    tg_chat_id    INTEGER,                       -- where the comment's Telegram message is
    tg_message_id INTEGER
);
-- A re-delivered update never makes a second comment.
CREATE UNIQUE INDEX comments_message ON comments (tg_chat_id, tg_message_id) WHERE tg_message_id IS NOT NULL;
CREATE INDEX comments_top_by_time ON comments (article_id, created_at DESC, id DESC) WHERE parent_id IS NULL;
CREATE INDEX comments_top_by_score ON comments (article_id, score DESC, id DESC) WHERE parent_id IS NULL;
CREATE INDEX comments_children ON comments (parent_id, created_at, id);
CREATE INDEX comments_author ON comments (author_id, created_at);

CREATE TABLE votes (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE reports (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

-- The channel post's copy in the discussion group (Telegram's automatic forward): the root of its thread.
-- Telegram offers no way to look this up later, so it is stored when the forward arrives.
CREATE TABLE group_threads (
    group_chat_id    INTEGER NOT NULL,
    group_message_id INTEGER NOT NULL,
    article_id       INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (group_chat_id, group_message_id)
);
CREATE INDEX group_threads_article ON group_threads (article_id);

-- Published comments per article, kept with each change (counting 100,000 rows per page view is too slow).
ALTER TABLE articles ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN display_name TEXT;
ALTER TABLE users ADD COLUMN reply_notifications INTEGER NOT NULL DEFAULT 1;

-- What a discussion message in a private chat shows, so that its buttons work after a restart.
CREATE TABLE discussion_views (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sort        TEXT    NOT NULL DEFAULT 'new' CHECK (sort IN ('new', 'top')),
    cursor_key  INTEGER,                         -- keyset cursor of the page shown: (key, id) of its first
    cursor_id   INTEGER,                         -- comment when going back, of the previous page's last forward
    backwards   INTEGER NOT NULL DEFAULT 0,
    thread_id   INTEGER,                         -- set when the view is one comment's thread
    PRIMARY KEY (chat_id, message_id)
);
