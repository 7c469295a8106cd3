-- SPDX-License-Identifier: MIT
-- The core of an event: the event itself, tokens, slots, rooms, participants,
-- topics and votes. The schema enforces what must always hold: unique ids,
-- one vote per participant and topic, cascades, value ranges.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE events (
    id             TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    timezone       TEXT NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    locale         TEXT NOT NULL DEFAULT 'fr' CHECK (length(locale) BETWEEN 2 AND 16),
    join_code      TEXT UNIQUE CHECK (join_code IS NULL OR length(join_code) BETWEEN 1 AND 64),
    max_weight     INTEGER NOT NULL DEFAULT 3 CHECK (max_weight BETWEEN 1 AND 100),
    vote_budget    INTEGER NOT NULL DEFAULT 0 CHECK (vote_budget BETWEEN 0 AND 10000),
    proposals_open INTEGER NOT NULL DEFAULT 1 CHECK (proposals_open IN (0, 1)),
    voting_open    INTEGER NOT NULL DEFAULT 1 CHECK (voting_open IN (0, 1)),
    show_tallies   INTEGER NOT NULL DEFAULT 0 CHECK (show_tallies IN (0, 1)),
    created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE slots (
    id        TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    label     TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    starts_at TEXT NOT NULL CHECK (length(starts_at) = 20),
    ends_at   TEXT NOT NULL CHECK (length(ends_at) = 20),
    CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX slots_event ON slots (event_id, starts_at);

CREATE TABLE rooms (
    id       TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 100000)
) STRICT;
CREATE INDEX rooms_event ON rooms (event_id);

CREATE TABLE room_features (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    feature TEXT NOT NULL CHECK (length(feature) BETWEEN 1 AND 40),
    PRIMARY KEY (room_id, feature)
) STRICT, WITHOUT ROWID;

CREATE TABLE room_unavailable (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    slot_id TEXT NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
    PRIMARY KEY (room_id, slot_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX room_unavailable_slot ON room_unavailable (slot_id);

CREATE TABLE participants (
    id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX participants_event ON participants (event_id);

CREATE TABLE participant_needs (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    feature        TEXT NOT NULL CHECK (length(feature) BETWEEN 1 AND 40),
    PRIMARY KEY (participant_id, feature)
) STRICT, WITHOUT ROWID;

CREATE TABLE participant_unavailable (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    slot_id        TEXT NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
    PRIMARY KEY (participant_id, slot_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX participant_unavailable_slot ON participant_unavailable (slot_id);

-- Bearer secrets, by SHA-256 only. role: 2 facilitator, 3 participant, 4 feed.
CREATE TABLE tokens (
    hash           BLOB PRIMARY KEY CHECK (length(hash) = 32),
    role           INTEGER NOT NULL CHECK (role BETWEEN 2 AND 4),
    event_id       TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    participant_id TEXT REFERENCES participants (id) ON DELETE CASCADE,
    CHECK ((role = 2) = (participant_id IS NULL))
) STRICT, WITHOUT ROWID;
CREATE INDEX tokens_participant ON tokens (participant_id);
CREATE INDEX tokens_event ON tokens (event_id);

CREATE TABLE topics (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    theme       TEXT NOT NULL DEFAULT '' CHECK (length(theme) <= 100),
    max_size    INTEGER CHECK (max_size IS NULL OR max_size BETWEEN 1 AND 100000),
    fixed_room  TEXT REFERENCES rooms (id),
    fixed_slot  TEXT REFERENCES slots (id),
    created_at  TEXT NOT NULL,
    CHECK ((fixed_room IS NULL) = (fixed_slot IS NULL))
) STRICT;
CREATE INDEX topics_event ON topics (event_id);
CREATE INDEX topics_fixed_room ON topics (fixed_room);
CREATE INDEX topics_fixed_slot ON topics (fixed_slot);
-- A locked cell holds one topic.
CREATE UNIQUE INDEX topics_fixed_cell ON topics (fixed_room, fixed_slot)
    WHERE fixed_room IS NOT NULL;

-- A deleted room or slot unlocks the topics placed in it.
CREATE TRIGGER rooms_unfix BEFORE DELETE ON rooms BEGIN
    UPDATE topics SET fixed_room = NULL, fixed_slot = NULL WHERE fixed_room = OLD.id;
END;
CREATE TRIGGER slots_unfix BEFORE DELETE ON slots BEGIN
    UPDATE topics SET fixed_room = NULL, fixed_slot = NULL WHERE fixed_slot = OLD.id;
END;

CREATE TABLE topic_needs (
    topic_id TEXT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    feature  TEXT NOT NULL CHECK (length(feature) BETWEEN 1 AND 40),
    PRIMARY KEY (topic_id, feature)
) STRICT, WITHOUT ROWID;

CREATE TABLE topic_hosts (
    topic_id       TEXT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    PRIMARY KEY (topic_id, participant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX topic_hosts_participant ON topic_hosts (participant_id);

CREATE TABLE votes (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    topic_id       TEXT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    weight         INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
    PRIMARY KEY (participant_id, topic_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX votes_topic ON votes (topic_id);

-- Everything that links two rows stays within one event.
CREATE TRIGGER votes_same_event BEFORE INSERT ON votes
WHEN (SELECT event_id FROM participants WHERE id = NEW.participant_id)
     IS NOT (SELECT event_id FROM topics WHERE id = NEW.topic_id)
BEGIN
    SELECT RAISE(ABORT, 'cross-event vote');
END;
CREATE TRIGGER hosts_same_event BEFORE INSERT ON topic_hosts
WHEN (SELECT event_id FROM participants WHERE id = NEW.participant_id)
     IS NOT (SELECT event_id FROM topics WHERE id = NEW.topic_id)
BEGIN
    SELECT RAISE(ABORT, 'cross-event host');
END;
CREATE TRIGGER room_unavailable_same_event BEFORE INSERT ON room_unavailable
WHEN (SELECT event_id FROM rooms WHERE id = NEW.room_id)
     IS NOT (SELECT event_id FROM slots WHERE id = NEW.slot_id)
BEGIN
    SELECT RAISE(ABORT, 'cross-event slot');
END;
CREATE TRIGGER participant_unavailable_same_event BEFORE INSERT ON participant_unavailable
WHEN (SELECT event_id FROM participants WHERE id = NEW.participant_id)
     IS NOT (SELECT event_id FROM slots WHERE id = NEW.slot_id)
BEGIN
    SELECT RAISE(ABORT, 'cross-event slot');
END;
CREATE TRIGGER topics_fixed_same_event BEFORE UPDATE OF fixed_room, fixed_slot ON topics
WHEN NEW.fixed_room IS NOT NULL AND (
     (SELECT event_id FROM rooms WHERE id = NEW.fixed_room) IS NOT NEW.event_id OR
     (SELECT event_id FROM slots WHERE id = NEW.fixed_slot) IS NOT NEW.event_id)
BEGIN
    SELECT RAISE(ABORT, 'cross-event placement');
END;
