-- Duplicates and tracing. A merge never deletes: the merged record points at the one it was
-- merged into, every merge and undo is a row of person_merges, and counting skips merged
-- records so nobody is counted twice.

alter table persons add column merged_into text;
create index persons_merged on persons (operation_id) where merged_into is not null;

create table duplicate_reviews (
  operation_id text not null references operations (id),
  id           text not null,
  person_a     text not null,
  person_b     text not null,
  weight       double precision not null,
  probability  double precision not null,
  decision     text not null check (decision in ('link', 'review')),
  explanation  jsonb not null,
  source       text not null check (source in ('registration', 'batch', 'manual')),
  status       text not null default 'open' check (status in ('open', 'merged', 'rejected', 'undone')),
  created_at   timestamptz not null,
  decided_at   timestamptz,
  decided_by   text,
  primary key (operation_id, id),
  unique (operation_id, person_a, person_b),
  check (person_a < person_b),
  foreign key (operation_id, person_a) references persons (operation_id, id),
  foreign key (operation_id, person_b) references persons (operation_id, id)
);
create index duplicate_reviews_status on duplicate_reviews (operation_id, status, weight desc);

create table person_merges (
  operation_id text not null references operations (id),
  id           text not null,
  kind         text not null check (kind in ('merge', 'undo')),
  person_id    text not null,
  into_id      text not null,
  review_id    text,
  at           timestamptz not null,
  actor_id     text not null,
  primary key (operation_id, id)
);

-- A tracing request: who asks (sealed), whom they seek (sealed), and what happened.
create table tracing_requests (
  operation_id     text not null references operations (id),
  id               text not null,
  status           text not null default 'open' check (status in ('open', 'found', 'found_no_contact', 'reunited', 'not_found', 'consent_refused', 'closed')),
  origin           text not null default 'enquiry' check (origin in ('enquiry', 'missing_in_transit')),
  relation         text,
  pii              bytea not null,
  found_person_id  text,
  created_at       timestamptz not null,
  created_by       text not null,
  updated_at       timestamptz not null,
  primary key (operation_id, id),
  foreign key (operation_id, found_person_id) references persons (operation_id, id)
);
create index tracing_requests_status on tracing_requests (operation_id, status, created_at desc);

create table tracing_candidates (
  operation_id text not null,
  request_id   text not null,
  person_id    text not null,
  weight       double precision not null,
  probability  double precision not null,
  decision     text not null,
  explanation  jsonb not null,
  proposed_at  timestamptz not null,
  primary key (operation_id, request_id, person_id),
  foreign key (operation_id, request_id) references tracing_requests (operation_id, id),
  foreign key (operation_id, person_id) references persons (operation_id, id)
);

create table tracing_events (
  operation_id text not null,
  request_id   text not null,
  id           text not null,
  kind         text not null,
  person_id    text,
  at           timestamptz not null,
  actor_id     text not null,
  pii          bytea,
  primary key (operation_id, request_id, id),
  foreign key (operation_id, request_id) references tracing_requests (operation_id, id)
);
