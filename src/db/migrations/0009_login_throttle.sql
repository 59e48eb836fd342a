-- Failed logins are counted per (username typed, client address) and per client address, no
-- longer per account: someone without the password can no longer lock the real user out.
-- The key is an HMAC of the username and address under a key derived from the master key, so
-- the table holds no client address and no username in clear (see docs/security.md).
create table login_throttle (
  key               bytea primary key,
  scope             text not null check (scope in ('pair', 'address')),
  failures          integer not null check (failures >= 0),
  last_failure_at   timestamptz not null,
  blocked_until     timestamptz,
  -- Failed logins for names that are no account, counted here instead of one audit row each;
  -- the audit gets one row per address and hour (see docs/security.md).
  unknown_failures  integer not null default 0 check (unknown_failures >= 0),
  unknown_hour      timestamptz
);
create index login_throttle_last_failure on login_throttle (last_failure_at);

-- The per-account lock is gone: lift the locks an attacker may have set.
update users set failed_logins = 0, locked_until = null;
