-- Count changes reach other server processes at once: when an operation's count version moves
-- (a count batch committed), PostgreSQL notifies channel corridor_counts with the operation id.
-- NOTIFY is delivered on commit, so a listener that reads the version finds the new one. PGlite
-- runs in one process and keeps its in-process notice; there the trigger notifies nobody.
create function notify_counts_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('corridor_counts', new.operation_id);
  return null;
end;
$$;

create trigger count_heads_notify_update after update of version on count_heads
  for each row when (new.version is distinct from old.version) execute function notify_counts_changed();
create trigger count_heads_notify_insert after insert on count_heads
  for each row when (new.version > 0) execute function notify_counts_changed();
