-- PFIF records imported into an operation (src/services/exports/pfif-import.ts). A PFIF record
-- keeps its identity wherever it travels: a person imported from Person Finder or another
-- Corridor is exported again under its original person_record_id, source name and date, with
-- the notes that came with it. One row per imported person record, naming what it became (a
-- registration or a tracing request); importing the same record again finds it here and
-- creates nothing. The record as received (names, notes, authors) is sealed with the
-- operation's key like every identifier (crypto-shredding covers it).
create table pfif_records (
  operation_id  text not null references operations(id),
  record_id     text not null,
  subject_kind  text not null check (subject_kind in ('person', 'tracing_request')),
  subject_id    text not null,
  sealed        bytea not null,
  imported_at   timestamptz not null,
  imported_by   text not null,
  primary key (operation_id, record_id)
);
create index pfif_records_subject on pfif_records (operation_id, subject_kind, subject_id);
