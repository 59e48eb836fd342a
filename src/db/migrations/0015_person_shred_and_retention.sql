-- Erasure of one person and retention per operation (audit finding 10).
-- A shredded person keeps their row (counts, merges and the audit history outlive the names) but
-- loses everything sealed about them: `shredded_at` says when. An operation can be closed, and a
-- retention period after its closing (`closed_at`, set by `corridor operation close`) the server
-- shreds it: its key, so all its people.
alter table persons add column shredded_at timestamptz;

alter table operations add column closed_at timestamptz;
alter table operations add column retention_days integer check (retention_days between 1 and 36500);
