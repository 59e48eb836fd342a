-- Idempotency keys are scoped by operation and actor (security audit finding 14): a client id is
-- one key per (actor, operation, client id), so another operation's or another account's use of the
-- same id is simply a different key — no 409, nothing revealed. System-wide writes (no operation in
-- the path) have operation_id ''. Rows stored before this migration do not say which operation they
-- were for: they get '*', which the lookup matches for any operation of the same actor, so a phone
-- resending across the upgrade still gets its stored answer; the retention job deletes them in time.
alter table idempotency_keys add column operation_id text not null default '';
update idempotency_keys set operation_id = '*' where route like '%:operationId%';
alter table idempotency_keys alter column operation_id drop default;
alter table idempotency_keys drop constraint idempotency_keys_pkey;
alter table idempotency_keys add constraint idempotency_keys_pkey primary key (actor_id, operation_id, client_id);
