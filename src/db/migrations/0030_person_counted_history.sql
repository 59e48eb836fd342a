-- What a person's counted fields were before each change (issue 16): a correction of sex, age
-- band or site overwrites the person's row, so a situation report made before it could not be
-- recomputed afterwards. The fields as they stood are kept here, with the moment they stopped
-- being true: the registry as of a moment takes, for each person changed since, the fields of
-- the first change after that moment. Only the fields a report's figures are broken down by are
-- kept (in clear in persons too); category and vulnerabilities are sealed and not kept here, so a
-- shredding leaves no copy of them.
create table person_counted_history (
  operation_id text not null,
  person_id    text not null,
  seq          bigint generated always as identity,
  changed_at   timestamptz not null,
  sex          text not null,
  age_band     text not null,
  site_id      text not null,
  primary key (operation_id, person_id, seq),
  foreign key (operation_id, person_id) references persons (operation_id, id)
);
create index person_counted_history_changed on person_counted_history (operation_id, changed_at);
