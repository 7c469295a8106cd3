-- SPDX-License-Identifier: MIT
-- The harvest: each session's notes, with their last revisions, and who
-- says they were there; whether the proceedings are public.
--
-- Notes belong to a session identity (the `id` of `sessions`: the topic's
-- id for group 1, "<topic>-<group>", a plenary's or a break's block id),
-- not to a published version: when a session moves, its notes follow it.

ALTER TABLE events ADD COLUMN proceedings_public INTEGER NOT NULL DEFAULT 0
    CHECK (proceedings_public IN (0, 1));

-- The revisions of a session's notes, the last one being the notes as they
-- are. `rev` counts every save of the session's notes (the ETag); saves by
-- the same person within a few minutes update their revision instead of
-- adding one, and only the last revisions are kept (src/store/notes.c).
CREATE TABLE note_revisions (
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_id  TEXT NOT NULL CHECK (length(session_id) BETWEEN 1 AND 40),
    rev         INTEGER NOT NULL CHECK (rev >= 1),
    -- Who saved it: a participant's id (no foreign key: the revision keeps
    -- their name when they leave), or NULL for the facilitator.
    author_id   TEXT,
    author_name TEXT NOT NULL DEFAULT '' CHECK (length(author_name) <= 100),
    started_at  TEXT NOT NULL CHECK (length(started_at) = 20),
    saved_at    TEXT NOT NULL CHECK (length(saved_at) = 20),
    attendance  INTEGER CHECK (attendance IS NULL OR attendance BETWEEN 0 AND 100000),
    names       TEXT NOT NULL DEFAULT '' CHECK (length(names) <= 1000),
    key_points  TEXT NOT NULL DEFAULT '' CHECK (length(key_points) <= 8000),
    proposals   TEXT NOT NULL DEFAULT '' CHECK (length(proposals) <= 4000),
    follow_up   TEXT NOT NULL DEFAULT '' CHECK (length(follow_up) <= 2000)
) STRICT;
CREATE UNIQUE INDEX note_revisions_key ON note_revisions (event_id, session_id, rev);

-- Who says they were at a session and agrees to be named in its notes and
-- the proceedings. Leaving the event takes the name away (cascade).
CREATE TABLE note_presence (
    event_id       TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_id     TEXT NOT NULL CHECK (length(session_id) BETWEEN 1 AND 40),
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (event_id, session_id, participant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX note_presence_person ON note_presence (participant_id);

CREATE TRIGGER note_presence_same_event BEFORE INSERT ON note_presence
WHEN (SELECT event_id FROM participants WHERE id = NEW.participant_id) IS NOT NEW.event_id
BEGIN
    SELECT RAISE(ABORT, 'cross-event participant');
END;
