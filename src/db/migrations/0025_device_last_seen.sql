-- A field device's last contact and the writes it still held then (issue 17). Each request made
-- with a device token stamps `last_seen_at`; a request that says how many writes the device's
-- outbox holds (the Corridor-Outbox-Size header) stores that count with the time it was said.
-- The admin devices page shows both, so a device that stopped syncing with writes on it is seen.
alter table devices add column last_seen_at timestamptz;
alter table devices add column held_writes integer check (held_writes >= 0);
alter table devices add column held_reported_at timestamptz;
