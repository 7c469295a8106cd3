-- SPDX-License-Identifier: MIT
-- Allocation drafts and published schedule versions. A published version is
-- immutable: it cannot be changed, and its allocation cannot be dropped.

CREATE TABLE allocations (
    id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    solution   TEXT NOT NULL CHECK (json_valid(solution)),
    satisfied  INTEGER NOT NULL CHECK (satisfied >= 0),
    bound      INTEGER CHECK (bound IS NULL OR bound >= 0),
    scheduled  INTEGER NOT NULL CHECK (scheduled >= 0)
) STRICT;
CREATE INDEX allocations_event ON allocations (event_id, created_at);

CREATE TABLE schedule_versions (
    event_id      TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL CHECK (version >= 1),
    allocation_id TEXT NOT NULL UNIQUE REFERENCES allocations (id),
    published_at  TEXT NOT NULL,
    body          TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (event_id, version)
) STRICT;

CREATE TRIGGER schedule_versions_immutable BEFORE UPDATE ON schedule_versions BEGIN
    SELECT RAISE(ABORT, 'published schedules are immutable');
END;
CREATE TRIGGER schedule_versions_dense BEFORE INSERT ON schedule_versions
WHEN NEW.version <> 1 + coalesce((SELECT max(version) FROM schedule_versions
                                  WHERE event_id = NEW.event_id), 0)
  OR (SELECT event_id FROM allocations WHERE id = NEW.allocation_id) IS NOT NEW.event_id
BEGIN
    SELECT RAISE(ABORT, 'schedule versions follow each other within one event');
END;
