-- articles.comment_count (the channel button's N) follows the published comments by trigger, so that every
-- path that adds, deletes, holds or approves a comment keeps it right in the same statement.
CREATE TRIGGER comments_count_insert AFTER INSERT ON comments WHEN NEW.status = 'published'
BEGIN
    UPDATE articles SET comment_count = comment_count + 1 WHERE id = NEW.article_id;
END;

CREATE TRIGGER comments_count_status AFTER UPDATE OF status ON comments WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE articles SET comment_count = comment_count
        + (NEW.status = 'published') - (OLD.status = 'published')
    WHERE id = NEW.article_id;
END;

CREATE TRIGGER comments_count_delete AFTER DELETE ON comments WHEN OLD.status = 'published'
BEGIN
    UPDATE articles SET comment_count = comment_count - 1 WHERE id = OLD.article_id;
END;

-- Recount once, in case an older version left a count behind.
UPDATE articles SET comment_count = (
    SELECT count(*) FROM comments WHERE comments.article_id = articles.id AND comments.status = 'published'
);
