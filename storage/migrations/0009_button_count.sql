-- The count the channel post's `💬 نظرات (N)` button shows, as Telegram last confirmed it: an edit to the
-- count already shown is never sent (Telegram refuses it as "message is not modified").
ALTER TABLE articles ADD COLUMN button_count INTEGER NOT NULL DEFAULT 0;
