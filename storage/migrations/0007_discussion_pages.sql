-- Page x of y: the published top-level comments of each article, kept by trigger like comment_count (counting
-- 40,000 top-level comments on every page view is too slow).
ALTER TABLE articles ADD COLUMN top_count INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER comments_top_count_insert AFTER INSERT ON comments
WHEN NEW.status = 'published' AND NEW.parent_id IS NULL
BEGIN
    UPDATE articles SET top_count = top_count + 1 WHERE id = NEW.article_id;
END;

CREATE TRIGGER comments_top_count_status AFTER UPDATE OF status ON comments
WHEN OLD.status IS NOT NEW.status AND NEW.parent_id IS NULL
BEGIN
    UPDATE articles SET top_count = top_count + (NEW.status = 'published') - (OLD.status = 'published')
    WHERE id = NEW.article_id;
END;

CREATE TRIGGER comments_top_count_delete AFTER DELETE ON comments
WHEN OLD.status = 'published' AND OLD.parent_id IS NULL
BEGIN
    UPDATE articles SET top_count = top_count - 1 WHERE id = OLD.article_id;
END;

UPDATE articles SET top_count = (
    SELECT count(*) FROM comments
    WHERE comments.article_id = articles.id AND comments.parent_id IS NULL AND comments.status = 'published'
);

-- Top-level comments that are not published (deleted, hidden, held): few, and shown as placeholders while
-- replies live under them.
CREATE INDEX comments_top_unpublished ON comments (article_id) WHERE parent_id IS NULL AND status != 'published';

-- The page number a discussion message shows, and the page of replies when it shows one comment.
ALTER TABLE discussion_views ADD COLUMN page INTEGER NOT NULL DEFAULT 1;
ALTER TABLE discussion_views ADD COLUMN thread_page INTEGER NOT NULL DEFAULT 1;
