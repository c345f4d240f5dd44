-- Stories: the reports of one event by several outlets. A story is its first article, the one posted to the
-- channel; every other report of it is an article in state 'duplicate' whose duplicate_of is that first one,
-- and its outlet is listed in article_sources (the post's «همچنین: …» line).
-- What the story index needs of each report (bot/news/stories.py), so that it is rebuilt at start without
-- reading the texts again.
ALTER TABLE articles ADD COLUMN story_signals TEXT;
-- The channel post's text as Telegram last confirmed it ('text:<hash>' or 'photo:<hash>' for a caption): an edit
-- is sent only when the text or the button changes (Telegram refuses an edit that changes nothing).
ALTER TABLE articles ADD COLUMN shown_text TEXT;
CREATE INDEX articles_story ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX articles_window ON articles (created_at) WHERE state IN ('queued', 'posted', 'duplicate');
