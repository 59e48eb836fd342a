-- Counting moves out of the writers' transactions. A writer appends its facts (or changes a
-- person) and leaves a note of what the counters have not seen yet; the count projector, after
-- commit, counts every pending note in one batch and deletes the notes in the same transaction
-- as its counter upserts. The counters always equal the contribution of the facts and registry
-- they have seen: count_pending_facts says which facts those are not, count_registry is the
-- registry as counted (what a person's counted fields were when last counted).

create table count_pending_facts (
  operation_id text not null references operations (id),
  fact_id      text not null,
  primary key (operation_id, fact_id)
);

-- One row per change (a registration, a correction of counted fields, a merge or its undo):
-- the token keeps a change that arrives while the projector works from being deleted with the
-- earlier one.
create table count_pending_persons (
  operation_id text not null references operations (id),
  person_id    text not null,
  token        text not null,
  primary key (operation_id, person_id, token)
);

create table count_registry (
  operation_id    text not null references operations (id),
  person_id       text not null,
  sex             text not null,
  age_band        text not null,
  category        text not null,
  vulnerabilities text[] not null,
  site_id         text not null,
  registered_at   timestamptz not null,
  merged_into     text,
  primary key (operation_id, person_id)
);
create index count_registry_merged on count_registry (operation_id, merged_into) where merged_into is not null;
create index persons_merged_into on persons (operation_id, merged_into) where merged_into is not null;

-- Until now counting happened in the writers' transactions: everything stored is counted.
insert into count_registry (operation_id, person_id, sex, age_band, category, vulnerabilities, site_id, registered_at, merged_into)
  select operation_id, id, sex, age_band, category, vulnerabilities, site_id, registered_at, merged_into from persons;
