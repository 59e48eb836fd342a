-- Protection alerts are acted on: a tracing officer acknowledges one (someone is with the
-- child) and closes it with an outcome and a note. The note is free text about a child, so it
-- is sealed in the application (AES-256-GCM under the operation's key, like fact notes) and
-- stored here as bytes. An alert stays 'open' until closed; acknowledgement is a fact about an
-- open alert, not a third status, so "open" still lists every alert that needs work.
alter table protection_alerts
  add column acknowledged_at timestamptz,
  add column acknowledged_by text,
  add column closed_at       timestamptz,
  add column closed_by       text,
  add column outcome         text check (outcome in ('reunited', 'interim_care', 'referred', 'tracing_case', 'raised_in_error')),
  add column note            bytea;

alter table protection_alerts add constraint protection_alerts_acknowledged_check
  check ((acknowledged_at is null) = (acknowledged_by is null));
alter table protection_alerts add constraint protection_alerts_closed_check
  check (
    (status = 'open' and closed_at is null and closed_by is null and outcome is null and note is null)
    or (status = 'closed' and closed_at is not null and closed_by is not null and outcome is not null and note is not null and acknowledged_at is not null)
  );

-- The retention job deletes stored answers older than the retention period, oldest first.
create index idempotency_keys_created_at on idempotency_keys (created_at);
