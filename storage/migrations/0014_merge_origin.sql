-- `/merge A B` moves story B's discussion to A; `/split B` brings it back. What moved is marked with the story it
-- came from (the first one, when merged stories are merged again), and unmarked when it goes back.
ALTER TABLE comments ADD COLUMN moved_from INTEGER;
ALTER TABLE group_threads ADD COLUMN moved_from INTEGER;
CREATE INDEX comments_moved_from ON comments (moved_from) WHERE moved_from IS NOT NULL;
