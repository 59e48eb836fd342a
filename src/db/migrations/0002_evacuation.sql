-- The evacuation: routes and movement windows, convoys with their vehicles and manifests, the
-- append-only movement facts, protection alerts raised at reception, and the maintained
-- counters (the one true count). Keyed by operation_id first, like every operation table.

create table routes (
  operation_id text not null references operations (id),
  id           text not null,
  name         text,
  site_ids     text[] not null check (cardinality(site_ids) between 2 and 50),
  created_at   timestamptz not null,
  created_by   text not null,
  primary key (operation_id, id)
);

create table movement_windows (
  operation_id text not null references operations (id),
  id           text not null,
  starts_at    timestamptz not null,
  ends_at      timestamptz not null,
  note         text,
  created_at   timestamptz not null,
  created_by   text not null,
  primary key (operation_id, id),
  check (ends_at > starts_at)
);
create index movement_windows_time on movement_windows (operation_id, starts_at);

-- `state` is the convoy board's state, moved by commands through the strict state machine and
-- by facts from the road (the furthest milestone seen). A dispatch outside every window keeps
-- its override reason sealed (free text).
create table convoys (
  operation_id    text not null references operations (id),
  id              text not null,
  route_id        text not null,
  name            text,
  state           text not null default 'planned' check (state in ('planned', 'boarding', 'departed', 'moving', 'halted', 'arrived', 'cancelled', 'turned_back')),
  dispatched_at   timestamptz,
  override_by     text,
  override_reason bytea,
  created_at      timestamptz not null,
  created_by      text not null,
  updated_at      timestamptz not null,
  primary key (operation_id, id),
  foreign key (operation_id, route_id) references routes (operation_id, id)
);

-- A vehicle carries named people (manifest_entries) or a head count (rows by sex, age band and
-- category, replaced as a whole each time it is recorded).
create table vehicles (
  operation_id text not null,
  convoy_id    text not null,
  id           text not null,
  kind         text not null check (kind in ('bus', 'ambulance', 'private_car', 'van', 'pickup', 'truck')),
  capacity     integer not null check (capacity between 1 and 200),
  mode         text not null check (mode in ('named', 'head_count')),
  plate        text,
  head_count   jsonb,
  created_at   timestamptz not null,
  primary key (operation_id, id),
  unique (operation_id, convoy_id, id),
  foreign key (operation_id, convoy_id) references convoys (operation_id, id),
  check (mode = 'head_count' or head_count is null)
);

create table manifest_entries (
  operation_id text not null,
  convoy_id    text not null,
  person_id    text not null,
  household_id text not null,
  vehicle_id   text not null,
  flags        text[] not null default '{}',
  split_reason bytea,
  added_at     timestamptz not null,
  added_by     text not null,
  primary key (operation_id, convoy_id, person_id),
  foreign key (operation_id, convoy_id, vehicle_id) references vehicles (operation_id, convoy_id, id),
  foreign key (operation_id, person_id) references persons (operation_id, id)
);
create index manifest_entries_person on manifest_entries (operation_id, person_id);

-- Append-only. `id` is the client id the fact was made with: a replayed fact adds nothing.
-- Facts are placed by device_time; received_at is when the server got them. Free text in
-- `payload` (the fields listed in encryptedFactFields) is sealed before it is stored.
create table movement_facts (
  operation_id text not null references operations (id),
  id           text not null,
  kind         text not null check (kind in ('boarded', 'departed', 'passed_checkpoint', 'halted', 'resumed', 'incident', 'turned_back', 'arrived', 'checked_in', 'cancelled', 'correction')),
  convoy_id    text,
  vehicle_id   text,
  person_id    text,
  site_id      text,
  voids        text,
  device_time  timestamptz not null,
  received_at  timestamptz not null,
  recorded_by  text not null,
  payload      jsonb not null default '{}',
  primary key (operation_id, id),
  foreign key (operation_id, convoy_id) references convoys (operation_id, id),
  foreign key (operation_id, site_id) references sites (operation_id, id),
  check ((kind = 'correction') = (voids is not null))
);
create index movement_facts_person on movement_facts (operation_id, person_id) where person_id is not null;
create index movement_facts_convoy on movement_facts (operation_id, convoy_id, kind) where convoy_id is not null;
create index movement_facts_voids on movement_facts (operation_id, voids) where voids is not null;

create function movement_facts_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'movement_facts is append-only: correct a fact with a correction fact' using errcode = '42501';
end $$;
create trigger movement_facts_no_update before update or delete on movement_facts
  for each row execute function movement_facts_append_only();

-- An unaccompanied or separated child checked in at reception: tracing officers follow it up.
create table protection_alerts (
  operation_id text not null,
  id           text not null,
  person_id    text not null,
  site_id      text not null,
  fact_id      text not null,
  kind         text not null check (kind in ('unaccompanied_child', 'separated_child')),
  status       text not null default 'open' check (status in ('open', 'closed')),
  raised_at    timestamptz not null,
  primary key (operation_id, id),
  unique (operation_id, fact_id, kind),
  foreign key (operation_id, person_id) references persons (operation_id, id),
  foreign key (operation_id, fact_id) references movement_facts (operation_id, id)
);
create index protection_alerts_open on protection_alerts (operation_id, status, raised_at desc);

-- The one true count, maintained in the same transaction as each fact and registration:
-- (metric, sex, age band, category, site, vulnerability, hour) → n, as in src/domain/counts.
-- hour '*' is now; other hours hold the net flow in that UTC hour. counter_hours is the rollup
-- of the hourly flows over every other dimension (vulnerability '*'), for the time series.
create table counters (
  operation_id  text not null references operations (id),
  metric        text not null check (metric in ('registered', 'boarded', 'in_transit', 'arrived', 'missing', 'turned_back')),
  sex           text not null,
  age_band      text not null,
  category      text not null,
  site_id       text not null,
  vulnerability text not null,
  hour          text not null,
  n             bigint not null,
  primary key (operation_id, metric, sex, age_band, category, site_id, vulnerability, hour)
);

create table counter_hours (
  operation_id text not null references operations (id),
  metric       text not null,
  hour         text not null,
  n            bigint not null,
  primary key (operation_id, metric, hour)
);

-- One row per operation, bumped by every transaction that changes its counters. Taking its
-- row lock first makes count maintenance of one operation take turns (a fact's deltas depend
-- on the facts already counted), and its version tells live streams that something changed.
create table count_heads (
  operation_id text primary key references operations (id),
  version      bigint not null,
  updated_at   timestamptz not null
);
