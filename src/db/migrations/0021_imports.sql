-- Imports of lists that exist before the first bus (a council's households, a hospital's
-- wounded, a KoboToolbox or ODK Central pre-registration). See docs/import-export.md.

-- A column mapping saved under a name, reusable for the next file of the same kind. It holds
-- headers and field names only, never a cell of a file.
create table import_mappings (
  operation_id text not null references operations (id),
  name         text not null check (length(name) between 1 and 80),
  mapping      jsonb not null,
  saved_by     text not null,
  saved_at     timestamptz not null,
  primary key (operation_id, name)
);

-- One run of an import: its progress while it runs, its outcome after. The file itself is not
-- kept (its digest is); an import cut short resumes by importing the same file again.
create table imports (
  operation_id       text not null references operations (id),
  id                 text not null,
  file_digest        text not null,
  status             text not null check (status in ('running', 'done', 'failed')),
  households_total   integer not null check (households_total >= 0),
  households_done    integer not null default 0 check (households_done >= 0),
  households_skipped integer not null default 0 check (households_skipped >= 0),
  households_invalid integer not null default 0 check (households_invalid >= 0),
  people             integer not null default 0 check (people >= 0),
  started_by         text not null,
  started_at         timestamptz not null,
  updated_at         timestamptz not null,
  finished_at        timestamptz,
  failure            text,
  primary key (operation_id, id)
);

-- Which household each imported household of a file became, by a keyed hash (HMAC under the
-- operation's key) of what identifies it in the file: its key column's value or its content.
-- Importing the same rows again finds them here and creates nothing; it is written in the same
-- transaction as the household, so an import cut short resumes where it stopped.
create table import_rows (
  operation_id  text not null,
  identity_hash bytea not null,
  household_id  text not null,
  import_id     text not null,
  primary key (operation_id, identity_hash),
  foreign key (operation_id, household_id) references households (operation_id, id),
  foreign key (operation_id, import_id) references imports (operation_id, id)
);
