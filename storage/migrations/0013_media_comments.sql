-- A photo, a poll, a sticker... written in a post's thread of the discussion group is a comment like a text one:
-- its kind is stored here (NULL for text), its caption or question in `text` behind the kind's mark, and the
-- Telegram file it carries, so that an approved held photo goes back into the group as a photo.
ALTER TABLE comments ADD COLUMN media_kind TEXT;
ALTER TABLE comments ADD COLUMN media_file_id TEXT;
