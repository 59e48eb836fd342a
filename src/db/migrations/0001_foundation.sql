-- Foundation: accounts, operations, sites, households, people, tags, idempotency, audit.
-- Every table that holds operation data is keyed by operation_id first, so the operation can
-- become the distribution key on a sharded Postgres (Citus) without a redesign.

create table users (
  id            text primary key,
  username      text not null unique check (username ~ '^[a-z0-9._-]{2,64}$'),
  display_name  text not null,
  password_hash text not null,
  is_admin      boolean not null default false,
  locale        text not null default 'en' check (locale in ('en', 'ar')),
  failed_logins integer not null default 0,
  locked_until  timestamptz,
  disabled_at   timestamptz,
  created_at    timestamptz not null default now()
);

create table sessions (
  token_hash   bytea primary key,
  user_id      text not null references users (id),
  created_at   timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at   timestamptz not null,
  ended_at     timestamptz
);
create index sessions_user on sessions (user_id);

create table operations (
  id          text primary key,
  code        text not null unique check (code ~ '^[a-z0-9-]{2,40}$'),
  name_en     text not null,
  name_ar     text,
  origin_area text,
  status      text not null default 'planning' check (status in ('planning', 'active', 'closed')),
  time_zone   text not null,
  created_at  timestamptz not null,
  created_by  text not null references users (id)
);

-- The operation's data key, wrapped (encrypted) by the master key. Destroying it erases the
-- operation's people: without it their names cannot be read again (crypto-shredding).
create table operation_keys (
  operation_id text primary key references operations (id),
  wrapped_key  bytea,
  created_at   timestamptz not null,
  destroyed_at timestamptz,
  check ((wrapped_key is null) = (destroyed_at is not null))
);

create table role_grants (
  operation_id text not null references operations (id),
  user_id      text not null references users (id),
  role         text not null check (role in ('admin', 'coordinator', 'registrar', 'convoy_officer',
                 'checkpoint_monitor', 'reception_officer', 'tracing_officer', 'viewer')),
  granted_by   text not null references users (id),
  granted_at   timestamptz not null,
  primary key (operation_id, user_id, role)
);
create index role_grants_user on role_grants (user_id);

create table sites (
  operation_id text not null references operations (id),
  id           text not null,
  kind         text not null check (kind in ('origin', 'assembly_point', 'checkpoint', 'reception_centre', 'camp', 'hospital')),
  name_en      text not null,
  name_ar      text,
  lat          double precision check (lat between -90 and 90),
  lon          double precision check (lon between -180 and 180),
  capacity     integer check (capacity >= 0),
  created_at   timestamptz not null,
  primary key (operation_id, id)
);

create table devices (
  operation_id text not null references operations (id),
  id           text not null,
  name         text not null,
  site_id      text,
  token_hash   bytea not null unique,
  created_by   text not null references users (id),
  created_at   timestamptz not null,
  revoked_at   timestamptz,
  primary key (operation_id, id),
  foreign key (operation_id, site_id) references sites (operation_id, id)
);

create table households (
  operation_id  text not null references operations (id),
  id            text not null,
  site_id       text not null,
  pii           bytea,
  registered_at timestamptz not null,
  registered_by text not null,
  primary key (operation_id, id),
  foreign key (operation_id, site_id) references sites (operation_id, id)
);

-- A person. Names, phone, document number, origin and notes live only inside `pii`
-- (AES-256-GCM); medical notes inside `medical`. Everything in clear is what counting needs.
create table persons (
  operation_id       text not null references operations (id),
  id                 text not null,
  household_id       text not null,
  relationship       text not null,
  sex                text not null check (sex in ('female', 'male', 'unknown')),
  birth_year         integer check (birth_year between 1880 and 2200),
  age_estimated      boolean not null default false,
  age_band           text not null check (age_band in ('0-4', '5-11', '12-17', '18-59', '60+', 'unknown')),
  vulnerabilities    text[] not null default '{}',
  category           text not null default 'unknown' check (category in ('civilian', 'combatant', 'unknown')),
  consent_tracing    boolean not null default false,
  consent_disclosure boolean not null default false,
  tag_code           text,
  site_id            text not null,
  pii                bytea not null,
  medical            bytea,
  registered_at      timestamptz not null,
  registered_by      text not null,
  updated_at         timestamptz not null,
  version            integer not null default 1,
  primary key (operation_id, id),
  unique (operation_id, tag_code),
  foreign key (operation_id, household_id) references households (operation_id, id),
  foreign key (operation_id, site_id) references sites (operation_id, id)
);
create index persons_household on persons (operation_id, household_id);

-- Keyed hashes (HMAC with the operation's key) of normalised name keys: how a name is found
-- without any name in SQL.
create table person_keys (
  operation_id text not null,
  kind         text not null,
  key_hash     bytea not null,
  person_id    text not null,
  primary key (operation_id, kind, key_hash, person_id),
  foreign key (operation_id, person_id) references persons (operation_id, id)
);
create index person_keys_person on person_keys (operation_id, person_id);

create table tag_ranges (
  operation_id text not null references operations (id),
  id           text not null,
  first_serial integer not null check (first_serial >= 0),
  last_serial  integer not null,
  site_id      text,
  device_id    text,
  label        text,
  allocated_at timestamptz not null,
  allocated_by text not null,
  primary key (operation_id, id),
  check (last_serial >= first_serial),
  foreign key (operation_id, site_id) references sites (operation_id, id),
  foreign key (operation_id, device_id) references devices (operation_id, id)
);

-- Replays of a write answer from here: same client id and same body, same answer.
create table idempotency_keys (
  client_id    text primary key,
  actor_id     text not null,
  route        text not null,
  request_hash text not null,
  status       integer not null,
  response     jsonb,
  created_at   timestamptz not null
);

-- Append-only, hash-chained per stream (one stream per operation, and 'system').
create table audit_log (
  seq          bigserial primary key,
  stream       text not null,
  n            integer not null,
  at           timestamptz not null,
  actor_id     text,
  actor_kind   text not null,
  operation_id text,
  action       text not null,
  subject_kind text,
  subject_id   text,
  details      jsonb not null default '{}',
  prev_hash    text not null,
  hash         text not null,
  unique (stream, n)
);
create index audit_log_subject on audit_log (operation_id, subject_kind, subject_id);

create table audit_heads (
  stream text primary key,
  n      integer not null,
  hash   text not null
);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
