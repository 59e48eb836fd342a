-- Which facts the counters have seen, without a note per fact. Every fact carries the id of the
-- transaction that wrote it (`tx`, filled in by the database, so no writer can forget it), and
-- count_heads keeps the snapshot up to which the count projection has counted:
--   a fact is counted when its transaction is visible in `counted_snapshot`, or — while a round
--   is under way — visible in `round_snapshot` and at or before (round_tx, round_id).
-- A snapshot (xmin:xmax:in-progress list) says exactly which transactions had committed when it
-- was taken, so a transaction that commits late — a phone's batch that waited, a long import —
-- is counted in a later round, never skipped and never twice; and a long transaction does not
-- hold back the counting of those that committed after it began.
-- Writers pay a column and an index entry instead of a note row inserted and later deleted.

alter table movement_facts add column tx xid8 not null default '0';
alter table movement_facts alter column tx set default pg_current_xact_id();
create index movement_facts_tx on movement_facts (operation_id, tx, id collate "C");

-- '1:1:' sees every transaction before 1: the facts written before this migration (tx 0).
alter table count_heads
  add column counted_snapshot pg_snapshot not null default '1:1:',
  add column round_snapshot pg_snapshot,
  add column round_tx xid8,
  add column round_id text;

-- Facts still waiting for the projection keep waiting: they take this transaction's id, which
-- no counted snapshot sees yet.
update movement_facts f set tx = pg_current_xact_id()
  from count_pending_facts p where p.operation_id = f.operation_id and p.fact_id = f.id;
drop table count_pending_facts;
