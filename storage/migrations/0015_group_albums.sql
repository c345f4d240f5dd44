-- An album in a post's thread (Telegram sends one message per photo, all with one media_group_id) is one comment.
-- Which comment an album became is stored as its first message is, so that a restart or a crash in the middle of
-- an album neither splits it into several comments nor lets its other photos past the first one's verdict. A
-- refused album is kept with no comment: its later photos leave the group too.
CREATE TABLE group_albums (
    group_chat_id  INTEGER NOT NULL,
    media_group_id TEXT    NOT NULL,
    comment_id     INTEGER REFERENCES comments (id) ON DELETE CASCADE,  -- NULL: the album was refused
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (group_chat_id, media_group_id)
) WITHOUT ROWID;

-- Each message of an album's comment (its first one too), in the comment's group chat: its kind, the Telegram
-- file it carries (an approved held album is posted back with every photo) and its own caption (an edit of one
-- photo's caption changes only that part of the comment's text).
CREATE TABLE album_parts (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    file_id    TEXT,
    words      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (comment_id, message_id)
) WITHOUT ROWID;
CREATE INDEX album_parts_message ON album_parts (message_id);
