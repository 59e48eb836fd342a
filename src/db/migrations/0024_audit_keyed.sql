-- Keyed audit entries (security audit finding 16). An entry's hash used to be a plain SHA-256
-- of the previous hash and the entry, so whoever could write to the database could append
-- entries `audit verify` called intact. Entries are now written with an HMAC-SHA-256 under the
-- audit key: 32 random bytes wrapped by the master key (like an operation's data key), which the
-- database role cannot open. `key_id` marks each keyed entry (null: an entry written before,
-- checked as the plain hash it was written with). The single `audit_keys` row also lists the
-- streams' heads when keying began (`legacy_heads`), bound into the wrapping: an unkeyed entry
-- past those heads is named by `audit verify`, and changing the list breaks the wrapping.
-- `corridor keys rotate-master` re-wraps the key without changing it, so entries stay verifiable.
alter table audit_log add column key_id text;

create table audit_keys (
  singleton    boolean primary key default true check (singleton),
  id           text not null,
  legacy_heads jsonb not null,
  wrapped_key  bytea not null,
  created_at   timestamptz not null
);
