-- A second factor (TOTP) and the account life cycle. The TOTP secret is sealed with the system
-- key (AES-256-GCM under the master key, the account id as associated data): a copied table
-- gives no codes. It is set at enrolment and in force once a first code confirmed it
-- (totp_enabled_at); totp_last_step is the last time step accepted, so a code is used once.
-- Recovery codes are kept as SHA-256 hashes (each is 50 random bits, used once).
alter table users add column must_change_password boolean not null default false;
alter table users add column totp_secret bytea;
alter table users add column totp_enabled_at timestamptz;
alter table users add column totp_last_step bigint;
alter table users add constraint users_totp_enabled_has_secret check (totp_enabled_at is null or totp_secret is not null);

create table recovery_codes (
  user_id    text not null references users (id),
  code_hash  bytea not null,
  created_at timestamptz not null,
  used_at    timestamptz,
  primary key (user_id, code_hash)
);
