-- A write's client id is taken and its stored answer read in one round trip (issue 17: a sync
-- storm is bounded by the cost of one write). The function takes the scoped key's advisory lock
-- for the rest of the transaction (without waiting: the caller polls), and only once it holds it
-- reads the stored answer. PL/pgSQL takes a fresh snapshot for each statement in read committed,
-- so the read sees the answer of a copy of the write that held the lock and committed: what the
-- two statements it replaces did (lockClientIdAndFind in src/db/queries/idempotency.ts).
create function take_client_id(lock_class integer, lock_name text, k_client_id text, k_actor_id text, k_operation_ids text[])
  returns table (ok boolean, prior jsonb) language plpgsql volatile as $$
begin
  if not pg_try_advisory_xact_lock(lock_class, hashtext(lock_name)) then
    return query select false, null::jsonb;
    return;
  end if;
  return query select true, (
    select to_jsonb(k) from idempotency_keys k
     where k.client_id = k_client_id and k.actor_id = k_actor_id and k.operation_id = any(k_operation_ids)
     limit 1);
end;
$$;
