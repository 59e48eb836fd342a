-- Convoy operations (issue 21): casualties of incidents in the counts, the expected travel time
-- of each route leg, and the overdue alerts raised when a convoy is not seen in time.

-- Injured, killed and detained people reported by incidents are counted beside the statuses of
-- people (src/domain/counts: they are not a status, so they are not in "everyone").
alter table counters drop constraint counters_metric_check;
alter table counters add constraint counters_metric_check
  check (metric in ('registered', 'boarded', 'in_transit', 'arrived', 'missing', 'turned_back', 'injured', 'killed', 'detained'));

-- Minutes expected from each site of a route to the next (one per leg; null: no expectation, no
-- overdue alert), and how long an overdue convoy waits before its alert escalates.
alter table routes add column leg_minutes integer[];
alter table routes add column escalate_minutes integer not null default 60 check (escalate_minutes between 1 and 1440);
alter table routes add constraint routes_leg_minutes_check
  check (leg_minutes is null or (cardinality(leg_minutes) = cardinality(site_ids) - 1 and 0 < all (leg_minutes) and 1440 * 3 >= all (leg_minutes)));

-- A convoy not seen at its next site in time. One alert per sighting left behind (the convoy,
-- the site it is awaited at and when it was last seen there before): the job that raises them
-- can run any number of times. Resolved by the job when the convoy is seen again (or stops
-- being on the road); acknowledged by a coordinator.
create table convoy_alerts (
  operation_id    text not null references operations (id),
  id              text not null,
  convoy_id       text not null,
  kind            text not null check (kind in ('overdue')),
  last_site_id    text not null,
  next_site_id    text not null,
  last_seen_at    timestamptz not null,
  due_at          timestamptz not null,
  escalate_at     timestamptz not null,
  level           text not null check (level in ('overdue', 'escalated')),
  status          text not null default 'open' check (status in ('open', 'resolved')),
  raised_at       timestamptz not null,
  escalated_at    timestamptz,
  resolved_at     timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by text,
  primary key (operation_id, id),
  unique (operation_id, convoy_id, next_site_id, last_seen_at),
  foreign key (operation_id, convoy_id) references convoys (operation_id, id),
  check (due_at < escalate_at)
);
create index convoy_alerts_open on convoy_alerts (operation_id, status, raised_at desc);
