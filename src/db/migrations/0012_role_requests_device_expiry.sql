-- Roles that read protection data (names, category, medical notes, tracing) and the admin role
-- are no longer granted by one operation admin alone: the grant waits here as a request until
-- another admin approves it (a system admin grants at once). Nobody approves their own request;
-- nobody grants roles to themselves (the service refuses it, see docs/security.md).
create table role_requests (
  operation_id text not null references operations (id),
  id           text not null,
  user_id      text not null references users (id),
  role         text not null check (role in ('admin', 'coordinator', 'registrar', 'convoy_officer',
                 'checkpoint_monitor', 'reception_officer', 'tracing_officer', 'viewer')),
  requested_by text not null references users (id),
  requested_at timestamptz not null,
  decided_by   text references users (id),
  decided_at   timestamptz,
  outcome      text check (outcome in ('approved', 'rejected', 'withdrawn')),
  primary key (operation_id, id),
  check ((decided_at is null) = (outcome is null)),
  check ((decided_at is null) = (decided_by is null)),
  check (outcome is distinct from 'approved' or decided_by <> requested_by),
  check (decided_by is distinct from user_id or outcome = 'withdrawn')
);
-- At most one open request per account and role.
create unique index role_requests_open on role_requests (operation_id, user_id, role) where decided_at is null;

-- Device tokens expire. Tokens made before this migration get 30 days from now.
alter table devices add column expires_at timestamptz;
update devices set expires_at = now() + interval '30 days';
alter table devices alter column expires_at set not null;
