-- A person's category (civilian, combatant) and vulnerabilities are sealed like their names
-- (decision 002, re-decided): a list of who was flagged a combatant is what an armed party
-- demands. They move into `protected` (AES-256-GCM under the operation's key, associated data
-- `person:<id>:protected`), on the person and on the registry as counted. The clear columns stay
-- only for rows written before this migration: the application seals them (a person's
-- `protected` set, the clear columns emptied) at its next start and with `corridor keys
-- seal-clear`, because SQL has no key. Counts by category and vulnerability stay as aggregates
-- in `counters`. A row with neither (shredded) counts as category 'unknown' without flags.
alter table persons add column protected bytea;
alter table persons alter column category drop not null;
alter table persons alter column category drop default;
alter table persons alter column vulnerabilities drop not null;
alter table persons alter column vulnerabilities drop default;

alter table count_registry add column protected bytea;
alter table count_registry alter column category drop not null;
alter table count_registry alter column vulnerabilities drop not null;
