-- A desk's registration is checked for duplicates after it commits (issue 17: the candidate
-- lookup and scoring were half of a registration's time). The registration leaves a note per
-- person in its own transaction; the duplicate checker (services/matching/duplicate-checks.ts)
-- looks up each noted person's candidates, writes the proposals to the review queue and deletes
-- the notes in one transaction. A note outlives a crash, so no registration goes unchecked.
-- `queued_by` is the account that registered, for the audit entry of the check.
create table duplicate_checks_pending (
  operation_id text not null references operations (id),
  person_id    text not null,
  queued_at    timestamptz not null,
  queued_by    text,
  primary key (operation_id, person_id)
);
create index duplicate_checks_pending_queued on duplicate_checks_pending (operation_id, queued_at);
