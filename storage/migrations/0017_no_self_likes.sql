-- Readers could like their own comments until the bot refused it: those likes are taken back, and the comments
-- they lifted in "top" order and in the digest's ranking lose them (a comment has at most one vote per reader).
UPDATE comments SET up = up - 1, score = score - 1
WHERE EXISTS (SELECT 1 FROM votes v WHERE v.comment_id = comments.id AND v.user_id = comments.author_id AND v.value = 1);
DELETE FROM votes WHERE value = 1 AND user_id = (SELECT c.author_id FROM comments c WHERE c.id = votes.comment_id);
