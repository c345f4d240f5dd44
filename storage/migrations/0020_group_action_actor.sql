-- Who gave the ban or mute a group action carries (0: the bot itself; NULL: stored before this column): the one
-- told when Telegram refuses to carry it into the discussion group.
ALTER TABLE group_actions ADD COLUMN actor INTEGER;
