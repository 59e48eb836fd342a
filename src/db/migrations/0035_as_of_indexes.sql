-- A situation report as of a moment (issue 16) asks for the last fact received by then and
-- whether anything was recorded after it (db/queries/sitrep.ts lastFactAsOf, nothingAfter).
-- Without these, each is a scan of every fact and every person of the operation: at 1M people
-- and more facts, a noticeable part of a report's 30 s budget, and paid again by `sitrep verify`.
create index movement_facts_received on movement_facts (operation_id, received_at);
create index persons_registered on persons (operation_id, registered_at);
