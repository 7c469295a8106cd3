-- SPDX-License-Identifier: MIT
-- The day as blocks, and a published version as rows.
--
-- An event's program is an ordered list of blocks (forum, groups, workshops,
-- plenary, break), each holding some of its slots; topics belong to a block
-- and may run as parallel groups; rooms may carry an online link. A
-- published version becomes a set of session rows (one per (topic, group),
-- plenary or break) with their hosts and attendees, beside the grid (slots,
-- rooms, blocks) as it was published. Versions published before this
-- migration are turned into rows from their stored documents, and the
-- documents are dropped.

-- ---- rooms: an online room's link ------------------------------------------------

ALTER TABLE rooms ADD COLUMN url TEXT
    CHECK (url IS NULL OR (length(url) BETWEEN 10 AND 500
                           AND (substr(url, 1, 7) = 'http://' OR substr(url, 1, 8) = 'https://')));

-- ---- blocks --------------------------------------------------------------------

CREATE TABLE blocks (
    id             TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    event_id       TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind           TEXT NOT NULL
                   CHECK (kind IN ('forum', 'groups', 'workshops', 'plenary', 'break')),
    -- The plenary's room (required), or a break's (optional). A room in use
    -- by a block cannot be deleted (no cascade).
    room_id        TEXT REFERENCES rooms (id),
    title          TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    proposals_open INTEGER NOT NULL DEFAULT 0 CHECK (proposals_open IN (0, 1)),
    created_at     TEXT NOT NULL,
    CHECK (kind <> 'plenary' OR room_id IS NOT NULL),
    CHECK (kind IN ('plenary', 'break') OR room_id IS NULL),
    CHECK (kind NOT IN ('plenary', 'break') OR proposals_open = 0)
) STRICT;
CREATE INDEX blocks_event ON blocks (event_id);
CREATE INDEX blocks_room ON blocks (room_id);

-- A slot belongs to at most one block (the key).
CREATE TABLE block_slots (
    slot_id  TEXT PRIMARY KEY REFERENCES slots (id) ON DELETE CASCADE,
    block_id TEXT NOT NULL REFERENCES blocks (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX block_slots_block ON block_slots (block_id);

CREATE TRIGGER block_slots_same_event BEFORE INSERT ON block_slots
WHEN (SELECT event_id FROM blocks WHERE id = NEW.block_id)
     IS NOT (SELECT event_id FROM slots WHERE id = NEW.slot_id)
BEGIN
    SELECT RAISE(ABORT, 'cross-event slot');
END;
CREATE TRIGGER blocks_room_same_event BEFORE INSERT ON blocks
WHEN NEW.room_id IS NOT NULL
 AND (SELECT event_id FROM rooms WHERE id = NEW.room_id) IS NOT NEW.event_id
BEGIN
    SELECT RAISE(ABORT, 'cross-event room');
END;
CREATE TRIGGER blocks_room_same_event_update BEFORE UPDATE OF room_id ON blocks
WHEN NEW.room_id IS NOT NULL
 AND (SELECT event_id FROM rooms WHERE id = NEW.room_id) IS NOT NEW.event_id
BEGIN
    SELECT RAISE(ABORT, 'cross-event room');
END;

-- ---- topics: a block, parallel groups ---------------------------------------------

ALTER TABLE topics ADD COLUMN block_id TEXT REFERENCES blocks (id) ON DELETE SET NULL;
-- groups: {max, size_min, size_max}, all three or none (ALLOCATOR.md, Groups).
ALTER TABLE topics ADD COLUMN groups_max INTEGER
    CHECK (groups_max IS NULL OR groups_max BETWEEN 1 AND 100);
ALTER TABLE topics ADD COLUMN group_size_min INTEGER
    CHECK (group_size_min IS NULL OR group_size_min BETWEEN 1 AND 100000);
ALTER TABLE topics ADD COLUMN group_size_max INTEGER
    CHECK ((group_size_max IS NULL) = (groups_max IS NULL)
       AND (group_size_max IS NULL) = (group_size_min IS NULL)
       AND (group_size_max IS NULL OR group_size_max BETWEEN group_size_min AND 100000));
CREATE INDEX topics_block ON topics (block_id);

-- Topics are placed by the allocator: never in a plenary or a break.
CREATE TRIGGER topics_block_check_insert BEFORE INSERT ON topics
WHEN NEW.block_id IS NOT NULL AND (
     (SELECT event_id FROM blocks WHERE id = NEW.block_id) IS NOT NEW.event_id OR
     (SELECT kind FROM blocks WHERE id = NEW.block_id) IN ('plenary', 'break'))
BEGIN
    SELECT RAISE(ABORT, 'a topic belongs to an allocated block of its event');
END;
CREATE TRIGGER topics_block_check_update BEFORE UPDATE OF block_id ON topics
WHEN NEW.block_id IS NOT NULL AND (
     (SELECT event_id FROM blocks WHERE id = NEW.block_id) IS NOT NEW.event_id OR
     (SELECT kind FROM blocks WHERE id = NEW.block_id) IN ('plenary', 'break'))
BEGIN
    SELECT RAISE(ABORT, 'a topic belongs to an allocated block of its event');
END;
-- A block that holds topics keeps an allocated kind.
CREATE TRIGGER blocks_kind_with_topics BEFORE UPDATE OF kind ON blocks
WHEN NEW.kind IN ('plenary', 'break')
 AND EXISTS (SELECT 1 FROM topics WHERE block_id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a block with topics cannot become a plenary or a break');
END;

-- ---- published versions as rows ---------------------------------------------------

ALTER TABLE schedule_versions ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC'
    CHECK (length(timezone) BETWEEN 1 AND 64);

-- The grid as it was published: slots (with their block), rooms, blocks.
CREATE TABLE version_slots (
    event_id  TEXT NOT NULL,
    version   INTEGER NOT NULL,
    slot_id   TEXT NOT NULL,
    label     TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at   TEXT NOT NULL,
    block_id  TEXT,
    PRIMARY KEY (event_id, version, slot_id),
    FOREIGN KEY (event_id, version) REFERENCES schedule_versions (event_id, version)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE version_rooms (
    event_id TEXT NOT NULL,
    version  INTEGER NOT NULL,
    room_id  TEXT NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    url      TEXT,
    PRIMARY KEY (event_id, version, room_id),
    FOREIGN KEY (event_id, version) REFERENCES schedule_versions (event_id, version)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE version_blocks (
    event_id TEXT NOT NULL,
    version  INTEGER NOT NULL,
    block_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    title    TEXT NOT NULL DEFAULT '',
    room_id  TEXT,
    PRIMARY KEY (event_id, version, block_id),
    FOREIGN KEY (event_id, version) REFERENCES schedule_versions (event_id, version)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- One row per session. Its identity across versions is id: the topic's id
-- for group 1, "<topic>-<group>" for the other groups, the block's id for a
-- plenary or a break. Titles, themes and times are kept as published; the
-- topic id is not a foreign key, so that deleting a topic later leaves the
-- published versions whole.
CREATE TABLE sessions (
    event_id  TEXT NOT NULL,
    version   INTEGER NOT NULL,
    id        TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 40),
    topic_id  TEXT,
    grp       INTEGER NOT NULL DEFAULT 1 CHECK (grp BETWEEN 1 AND 100),
    block_id  TEXT,
    kind      TEXT NOT NULL
              CHECK (kind IN ('forum', 'groups', 'workshops', 'plenary', 'break')),
    room_id   TEXT,
    slot_id   TEXT NOT NULL,
    title     TEXT NOT NULL,
    theme     TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL CHECK (length(starts_at) = 20),
    ends_at   TEXT NOT NULL CHECK (length(ends_at) = 20),
    seats     INTEGER NOT NULL CHECK (seats >= 0),
    sequence  INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    -- Everyone's agenda holds it (a plenary, a break), not only its attendees.
    everyone  INTEGER NOT NULL DEFAULT 0 CHECK (everyone IN (0, 1)),
    PRIMARY KEY (event_id, version, id),
    FOREIGN KEY (event_id, version) REFERENCES schedule_versions (event_id, version)
        ON DELETE CASCADE,
    CHECK ((topic_id IS NULL) = (kind IN ('plenary', 'break')))
) STRICT, WITHOUT ROWID;
-- A (room, slot) cell holds one session per version.
CREATE UNIQUE INDEX sessions_cell ON sessions (event_id, version, room_id, slot_id)
    WHERE room_id IS NOT NULL;
-- The sessions of one identity across versions (SEQUENCE, cancellations).
CREATE INDEX sessions_identity ON sessions (event_id, id, version);

CREATE TABLE session_hosts (
    event_id   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (event_id, version, session_id, position),
    FOREIGN KEY (event_id, version, session_id) REFERENCES sessions (event_id, version, id)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Who sits where (private: the API shows it only to the person, and counts).
-- No foreign key to participants: a version stays as it was published.
CREATE TABLE session_attendees (
    event_id       TEXT NOT NULL,
    version        INTEGER NOT NULL,
    session_id     TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    PRIMARY KEY (event_id, version, session_id, participant_id),
    FOREIGN KEY (event_id, version, session_id) REFERENCES sessions (event_id, version, id)
        ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX session_attendees_person ON session_attendees (event_id, participant_id, version);

-- Published versions are immutable, rows included.
CREATE TRIGGER sessions_immutable BEFORE UPDATE ON sessions BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;
CREATE TRIGGER session_hosts_immutable BEFORE UPDATE ON session_hosts BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;
CREATE TRIGGER session_attendees_immutable BEFORE UPDATE ON session_attendees BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;
CREATE TRIGGER version_slots_immutable BEFORE UPDATE ON version_slots BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;
CREATE TRIGGER version_rooms_immutable BEFORE UPDATE ON version_rooms BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;
CREATE TRIGGER version_blocks_immutable BEFORE UPDATE ON version_blocks BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;

-- ---- the versions published before: from their documents to rows -------------------
--
-- Document (0002): {version, published_at, timezone, slots:[{id, label,
-- starts_at, ends_at}], rooms:[{id, name}], sessions:[{topic, title, theme,
-- hosts:[names], room, slot, seated}]}; who sat where is in the allocation's
-- solution ({sessions:[{topic, room, slot, attendees:[ids]}]}). One session
-- per topic then: its id is the topic's, group 1, kind forum, SEQUENCE 0
-- (calendars saw no SEQUENCE, which means 0).

-- The immutability trigger forbids updates, and filling the new column is
-- one: it is set aside for the copy and put back after.
DROP TRIGGER schedule_versions_immutable;
UPDATE schedule_versions
   SET timezone = coalesce(json_extract(body, '$.timezone'), 'UTC');

INSERT INTO version_slots (event_id, version, slot_id, label, starts_at, ends_at, block_id)
SELECT v.event_id, v.version, json_extract(j.value, '$.id'),
       coalesce(json_extract(j.value, '$.label'), ''),
       json_extract(j.value, '$.starts_at'), json_extract(j.value, '$.ends_at'), NULL
  FROM schedule_versions v, json_each(v.body, '$.slots') j;

INSERT INTO version_rooms (event_id, version, room_id, position, name, url)
SELECT v.event_id, v.version, json_extract(j.value, '$.id'), j.key,
       coalesce(json_extract(j.value, '$.name'), ''), NULL
  FROM schedule_versions v, json_each(v.body, '$.rooms') j;

INSERT INTO sessions (event_id, version, id, topic_id, grp, block_id, kind, room_id,
                      slot_id, title, theme, starts_at, ends_at, seats, sequence, everyone)
SELECT v.event_id, v.version, json_extract(j.value, '$.topic'),
       json_extract(j.value, '$.topic'), 1, NULL, 'forum',
       json_extract(j.value, '$.room'), json_extract(j.value, '$.slot'),
       coalesce(json_extract(j.value, '$.title'), ''),
       coalesce(json_extract(j.value, '$.theme'), ''),
       vs.starts_at, vs.ends_at, coalesce(json_extract(j.value, '$.seated'), 0), 0, 0
  FROM schedule_versions v, json_each(v.body, '$.sessions') j
  JOIN version_slots vs ON vs.event_id = v.event_id AND vs.version = v.version
                       AND vs.slot_id = json_extract(j.value, '$.slot');

INSERT INTO session_hosts (event_id, version, session_id, position, name)
SELECT v.event_id, v.version, json_extract(j.value, '$.topic'), h.key, h.value
  FROM schedule_versions v, json_each(v.body, '$.sessions') j,
       json_each(j.value, '$.hosts') h
 WHERE h.type = 'text';

INSERT OR IGNORE INTO session_attendees (event_id, version, session_id, participant_id)
SELECT v.event_id, v.version, json_extract(s.value, '$.topic'), p.value
  FROM schedule_versions v
  JOIN allocations a ON a.id = v.allocation_id,
       json_each(a.solution, '$.sessions') s, json_each(s.value, '$.attendees') p
 WHERE p.type = 'text'
   AND EXISTS (SELECT 1 FROM sessions x WHERE x.event_id = v.event_id
                  AND x.version = v.version AND x.id = json_extract(s.value, '$.topic'));

ALTER TABLE schedule_versions DROP COLUMN body;

CREATE TRIGGER schedule_versions_immutable BEFORE UPDATE ON schedule_versions BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;
