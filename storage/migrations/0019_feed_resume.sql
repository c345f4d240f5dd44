-- A feed resumed after a pause records what it published before the resume (less an hour) as seen, like a
-- feed just added: without this, a week's pause ended with the week's news posted at once.
ALTER TABLE feeds ADD COLUMN backlog_before INTEGER;
