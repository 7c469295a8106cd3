-- SPDX-License-Identifier: MIT
-- On the day: the marketplace, the changes made after a publication, and
-- what a draft was made from.
--
-- A facilitator changes the day after a publication with one-step
-- operations (cancel a session, merge two topics, move a session by hand,
-- close a room from a slot on, add a topic on the spot). Each is applied to
-- the event at once and recorded with what it takes to undo it, in one
-- transaction; until the next publication the newest one can be undone.
-- A draft remembers the version it was made against, the last change it
-- saw and the slots it left as published (they had started), so that
-- publishing it copies those slots from that version and refuses a draft
-- that the day has overtaken.
--
-- Written so that renumbering this file is only a rename.

-- ---- topics: cancelled on the day -------------------------------------------------

-- A cancelled topic (its host is absent) is in no allocation problem; its
-- published sessions end at the next publication. Its votes stay.
ALTER TABLE topics ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0
    CHECK (cancelled IN (0, 1));

-- ---- drafts: what they were made from ---------------------------------------------

-- base_version: the latest published version when the draft was made (0
-- before the first; -1 for drafts made before this migration, which are
-- not checked). plan_seq: the newest change in effect then (0: none).
-- kept_slots: the slots that had started, kept as base_version published
-- them (a JSON array of slot ids).
ALTER TABLE allocations ADD COLUMN base_version INTEGER NOT NULL DEFAULT -1
    CHECK (base_version >= -1);
ALTER TABLE allocations ADD COLUMN plan_seq INTEGER NOT NULL DEFAULT -1
    CHECK (plan_seq >= -1);
ALTER TABLE allocations ADD COLUMN kept_slots TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(kept_slots) AND json_type(kept_slots) = 'array');

-- ---- the changes of the day --------------------------------------------------------

-- One row per operation (and per undo, kind 'undo'), numbered 1, 2, ... per
-- event: the highest seq is the plan's revision. state: pending until the
-- next publication (then published), or undone before it. summary says what was done
-- (for people); undo holds what the operation replaced (for the machine).
CREATE TABLE plan_changes (
    event_id     TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    kind         TEXT NOT NULL
                 CHECK (kind IN ('cancel', 'merge', 'move', 'close_room', 'add_topic',
                                 'undo')),
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'undone', 'published')),
    summary      TEXT NOT NULL CHECK (json_valid(summary)),
    undo         TEXT NOT NULL CHECK (json_valid(undo)),
    base_version INTEGER NOT NULL CHECK (base_version >= 0),
    created_at   TEXT NOT NULL,
    published_in INTEGER CHECK (published_in IS NULL OR published_in >= 1),
    PRIMARY KEY (event_id, seq),
    -- published_in: the publication that closed it (a pending change
    -- becomes published then; an undone one stays undone).
    CHECK (state <> 'pending' OR published_in IS NULL),
    CHECK (state <> 'published' OR published_in IS NOT NULL)
) STRICT;

-- Changes follow each other 1, 2, ... within one event.
CREATE TRIGGER plan_changes_dense BEFORE INSERT ON plan_changes
WHEN NEW.seq <> 1 + coalesce((SELECT max(seq) FROM plan_changes
                              WHERE event_id = NEW.event_id), 0)
BEGIN
    SELECT RAISE(ABORT, 'changes follow each other within one event');
END;
-- What a change did and how to undo it never change; only its state does,
-- and once a publication closed it, nothing does.
CREATE TRIGGER plan_changes_fixed BEFORE UPDATE ON plan_changes
WHEN NEW.event_id IS NOT OLD.event_id OR NEW.seq IS NOT OLD.seq
  OR NEW.kind IS NOT OLD.kind OR NEW.summary IS NOT OLD.summary
  OR NEW.undo IS NOT OLD.undo OR NEW.base_version IS NOT OLD.base_version
  OR NEW.created_at IS NOT OLD.created_at OR OLD.published_in IS NOT NULL
  OR (OLD.state = 'undone' AND NEW.state <> 'undone')
BEGIN
    SELECT RAISE(ABORT, 'a change only goes from pending to undone or published');
END;

-- ---- the marketplace -----------------------------------------------------------------

-- At most one per event: the block whose topics are being proposed at the
-- opening circle (the "place du marche"), its phase, and the end of its
-- optional vote window.
CREATE TABLE marketplaces (
    event_id     TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    block_id     TEXT REFERENCES blocks (id) ON DELETE SET NULL,
    phase        TEXT NOT NULL CHECK (phase IN ('proposals', 'vote', 'closed')),
    vote_ends_at TEXT CHECK (vote_ends_at IS NULL OR length(vote_ends_at) = 20),
    changed_at   TEXT NOT NULL CHECK (length(changed_at) = 20),
    CHECK (phase <> 'vote' OR vote_ends_at IS NOT NULL)
) STRICT;

CREATE TRIGGER marketplaces_block_same_event BEFORE INSERT ON marketplaces
WHEN NEW.block_id IS NOT NULL
 AND (SELECT event_id FROM blocks WHERE id = NEW.block_id) IS NOT NEW.event_id
BEGIN
    SELECT RAISE(ABORT, 'cross-event block');
END;
CREATE TRIGGER marketplaces_block_same_event_update BEFORE UPDATE OF block_id ON marketplaces
WHEN NEW.block_id IS NOT NULL
 AND (SELECT event_id FROM blocks WHERE id = NEW.block_id) IS NOT NEW.event_id
BEGIN
    SELECT RAISE(ABORT, 'cross-event block');
END;
