-- What an update has done, once each: the inbox hands an update over again when a crash cut its handling
-- short, and a change recorded here for that update is not made a second time (a /ban is stored, audited and
-- carried to the group once). Pruned with the inbox's handled updates.
CREATE TABLE update_effects (
    update_id  INTEGER NOT NULL,
    effect     TEXT    NOT NULL,             -- e.g. `bans:ban:12345`
    created_at INTEGER NOT NULL,
    PRIMARY KEY (update_id, effect)
) WITHOUT ROWID;
CREATE INDEX update_effects_created ON update_effects (created_at);

-- A sent message whose after-send step (its article marked posted and its alerts queued, a button's count, a
-- mirrored comment's message id) may not have run: at start the step runs again, from the stored answer.
ALTER TABLE outbox ADD COLUMN after_sent_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN result_chat_id INTEGER;
CREATE INDEX outbox_after_sent ON outbox (id) WHERE after_sent_pending = 1;
