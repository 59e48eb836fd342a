-- Other sources' figures for an operation (issue 16): an agency's statement, a news report, a
-- partner's count — who said it, when, the figure, how it was qualified ("around", "more than")
-- and what it claims to count. The situation report shows each beside Corridor's figure for the
-- same thing at the same time and explains the difference from the facts. A recorded figure is
-- never edited (what a source said does not change); a wrong entry is withdrawn, which keeps it.
create table outside_sources (
  operation_id  text not null references operations (id),
  id            text not null,
  source        text not null,
  stated_at     timestamptz not null,
  figure        integer not null check (figure >= 0),
  qualifier     text not null check (qualifier in ('exactly', 'about', 'more_than', 'less_than')),
  claims        text not null check (claims in ('left', 'arrived', 'in_transit', 'head_count_vehicles', 'registered')),
  claim_text    text,
  recorded_at   timestamptz not null,
  recorded_by   text not null,
  withdrawn_at  timestamptz,
  withdrawn_by  text,
  primary key (operation_id, id),
  check ((withdrawn_at is null) = (withdrawn_by is null))
);
create index outside_sources_recorded on outside_sources (operation_id, recorded_at);
