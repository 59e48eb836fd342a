/**
 * Row types of the tables, for Kysely. Kept by hand beside the SQL migrations: a migration
 * that adds a column adds it here too (test/storage.test.ts compares the tables and columns
 * named here with the migrated database, on PGlite and PostgreSQL).
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  is_admin: Generated<boolean>;
  locale: Generated<string>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  must_change_password: Generated<boolean>;
  totp_secret: Bytes | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: number | null;
  phone_hash: Bytes | null;
  phone_sealed: Bytes | null;
}

export interface SmsMessagesTable {
  operation_id: string;
  message_key: string;
  received_at: Timestamp;
  sender_hash: Bytes;
  user_id: string | null;
  outcome: Generated<string>;
  fact_ids: ColumnType<string[], string | undefined, string>;
  text_sealed: Bytes | null;
  reply_sealed: Bytes | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  code_hash: Bytes;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: Bytes;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface OperationsTable {
  id: string;
  code: string;
  name_en: string;
  name_ar: string | null;
  origin_area: string | null;
  status: Generated<string>;
  time_zone: string;
  created_at: Timestamp;
  created_by: string;
  /** When `corridor operation close` closed it (migration 0015). */
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Days after closing at which its people are shredded; null keeps them. */
  retention_days: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface OperationKeysTable {
  operation_id: string;
  wrapped_key: Bytes | null;
  created_at: Timestamp;
  destroyed_at: Timestamp | null;
}

export interface RoleGrantsTable {
  operation_id: string;
  user_id: string;
  role: string;
  granted_by: string;
  granted_at: Timestamp;
}

export interface SitesTable {
  operation_id: string;
  id: string;
  kind: string;
  name_en: string;
  name_ar: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
  created_at: Timestamp;
}

export interface DevicesTable {
  operation_id: string;
  id: string;
  name: string;
  site_id: string | null;
  token_hash: Bytes;
  created_by: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  expires_at: Timestamp;
  last_seen_at: Timestamp | null;
  held_writes: number | null;
  held_reported_at: Timestamp | null;
}

export interface RoleRequestsTable {
  operation_id: string;
  id: string;
  user_id: string;
  role: string;
  requested_by: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  outcome: 'approved' | 'rejected' | 'withdrawn' | null;
}

export interface HouseholdsTable {
  operation_id: string;
  id: string;
  site_id: string;
  pii: Bytes | null;
  registered_at: Timestamp;
  registered_by: string;
}

export interface PersonsTable {
  operation_id: string;
  id: string;
  household_id: string;
  relationship: string;
  sex: string;
  birth_year: number | null;
  age_estimated: boolean;
  age_band: string;
  /** Only on rows written before migration 0014 and not yet sealed; see `protected`. */
  vulnerabilities: string[] | null;
  category: string | null;
  /** Category and vulnerabilities, sealed (`person:<id>:protected`). */
  protected: Bytes | null;
  consent_tracing: boolean;
  consent_disclosure: boolean;
  tag_code: string | null;
  site_id: string;
  pii: Bytes;
  medical: Bytes | null;
  registered_at: Timestamp;
  registered_by: string;
  updated_at: Timestamp;
  version: Generated<number>;
  merged_into: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the person was crypto-shredded (migration 0015): their sealed fields are gone. */
  shredded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PersonKeysTable {
  operation_id: string;
  kind: string;
  key_hash: Bytes;
  person_id: string;
}

export interface TagRangesTable {
  operation_id: string;
  id: string;
  first_serial: number;
  last_serial: number;
  site_id: string | null;
  device_id: string | null;
  label: string | null;
  allocated_at: Timestamp;
  allocated_by: string;
}

export interface IdempotencyKeysTable {
  client_id: string;
  actor_id: string;
  /** '' for a write outside an operation; '*' for rows stored before keys were scoped (any operation). */
  operation_id: string;
  route: string;
  request_hash: string;
  status: number;
  response: unknown;
  created_at: Timestamp;
}

export interface AuditLogTable {
  seq: Generated<number>;
  stream: string;
  n: number;
  at: Timestamp;
  actor_id: string | null;
  actor_kind: string;
  operation_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
  /** The audit key an entry's hash is an HMAC under (migration 0024); null: a plain SHA-256 chain entry written before. */
  key_id: Generated<string | null>;
}

export interface AuditHeadsTable {
  stream: string;
  n: number;
  hash: string;
}

/** The audit key, wrapped by the master key, and the streams' heads when keying began (migration 0024). */
export interface AuditKeysTable {
  singleton: Generated<boolean>;
  id: string;
  legacy_heads: unknown;
  wrapped_key: Bytes;
  created_at: Timestamp;
}

export interface DuplicateReviewsTable {
  operation_id: string;
  id: string;
  person_a: string;
  person_b: string;
  weight: number;
  probability: number;
  decision: string;
  explanation: unknown;
  source: string;
  status: Generated<string>;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface PersonMergesTable {
  operation_id: string;
  id: string;
  kind: string;
  person_id: string;
  into_id: string;
  review_id: string | null;
  at: Timestamp;
  actor_id: string;
}

export interface TracingRequestsTable {
  operation_id: string;
  id: string;
  status: Generated<string>;
  origin: Generated<string>;
  relation: string | null;
  pii: Bytes;
  found_person_id: string | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  /** Something new since an officer last opened the request (migration 0033). */
  attention_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface TracingRequestKeysTable {
  operation_id: string;
  request_id: string;
  side: 'sought' | 'enquirer';
  kind: string;
  key_hash: Bytes;
}

export interface TracingLinksTable {
  operation_id: string;
  request_id: string;
  other_request_id: string;
  direction: 'mutual' | 'their_enquirer_is_sought' | 'they_seek_our_enquirer';
  probability: number;
  proposed_at: Timestamp;
}

export interface TracingCandidatesTable {
  operation_id: string;
  request_id: string;
  person_id: string;
  weight: number;
  probability: number;
  decision: string;
  explanation: unknown;
  proposed_at: Timestamp;
}

export interface TracingEventsTable {
  operation_id: string;
  request_id: string;
  id: string;
  kind: string;
  person_id: string | null;
  at: Timestamp;
  actor_id: string;
  pii: Bytes | null;
}

export interface RoutesTable {
  operation_id: string;
  id: string;
  name: string | null;
  /** The route's name in Arabic (migration 0027); null: the English name is shown. */
  name_ar: string | null;
  site_ids: string[];
  created_at: Timestamp;
  created_by: string;
  /** Minutes expected per leg (migration 0028); null: none. */
  leg_minutes: number[] | null;
  escalate_minutes: Generated<number>;
}

export interface MovementWindowsTable {
  operation_id: string;
  id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  note: string | null;
  /** The note in Arabic (migration 0036); null: none. */
  note_ar: string | null;
  created_at: Timestamp;
  created_by: string;
}

export interface ConvoysTable {
  operation_id: string;
  id: string;
  route_id: string;
  name: string | null;
  state: Generated<string>;
  dispatched_at: Timestamp | null;
  override_by: string | null;
  override_reason: Bytes | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
}

export interface VehiclesTable {
  operation_id: string;
  convoy_id: string;
  id: string;
  kind: string;
  capacity: number;
  mode: string;
  plate: string | null;
  head_count: unknown;
  created_at: Timestamp;
}

export interface ManifestEntriesTable {
  operation_id: string;
  convoy_id: string;
  person_id: string;
  household_id: string;
  vehicle_id: string;
  flags: string[];
  split_reason: Bytes | null;
  added_at: Timestamp;
  added_by: string;
  /** Seats the person takes (more than one with a wheelchair or a stretcher; migration 0029). */
  seats: Generated<number>;
}

export interface MovementFactsTable {
  operation_id: string;
  id: string;
  kind: string;
  convoy_id: string | null;
  vehicle_id: string | null;
  person_id: string | null;
  site_id: string | null;
  voids: string | null;
  device_time: Timestamp;
  received_at: Timestamp;
  recorded_by: string;
  payload: unknown;
  /** The writing transaction's id (xid8 as text), set by the database: see migration 0007. */
  tx: Generated<string>;
}

export interface ProtectionAlertsTable {
  operation_id: string;
  id: string;
  person_id: string;
  site_id: string;
  fact_id: string;
  kind: string;
  status: Generated<string>;
  raised_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  outcome: string | null;
  note: Bytes | null;
}

export interface ConvoyAlertsTable {
  operation_id: string;
  id: string;
  convoy_id: string;
  kind: string;
  last_site_id: string;
  next_site_id: string;
  last_seen_at: Timestamp;
  due_at: Timestamp;
  escalate_at: Timestamp;
  level: string;
  status: Generated<string>;
  raised_at: Timestamp;
  escalated_at: Timestamp | null;
  resolved_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
}

export interface CountersTable {
  operation_id: string;
  metric: string;
  sex: string;
  age_band: string;
  category: string;
  site_id: string;
  vulnerability: string;
  hour: string;
  n: number;
}

export interface CounterHoursTable {
  operation_id: string;
  metric: string;
  hour: string;
  n: number;
}

export interface CountHeadsTable {
  operation_id: string;
  version: number;
  updated_at: Timestamp;
  /** pg_snapshot as text: every fact whose transaction it sees is counted (migration 0007). */
  counted_snapshot: Generated<string>;
  round_snapshot: string | null;
  round_tx: string | null;
  round_id: string | null;
}

export interface CountPendingPersonsTable {
  operation_id: string;
  person_id: string;
  token: string;
}

/** A registration not yet checked for duplicates (migration 0034). */
export interface DuplicateChecksPendingTable {
  operation_id: string;
  person_id: string;
  queued_at: Timestamp;
  queued_by: string | null;
}

export interface ImportMappingsTable {
  operation_id: string;
  name: string;
  mapping: unknown;
  saved_by: string;
  saved_at: Timestamp;
}

export interface ImportsTable {
  operation_id: string;
  id: string;
  file_digest: string;
  status: 'running' | 'done' | 'failed';
  households_total: number;
  households_done: Generated<number>;
  households_skipped: Generated<number>;
  households_invalid: Generated<number>;
  people: Generated<number>;
  started_by: string;
  started_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
  failure: string | null;
}

export interface ImportRowsTable {
  operation_id: string;
  identity_hash: Buffer;
  household_id: string;
  import_id: string;
}

export interface LoginThrottleTable {
  key: Buffer;
  scope: 'pair' | 'address';
  failures: number;
  last_failure_at: Timestamp;
  blocked_until: Timestamp | null;
  unknown_failures: Generated<number>;
  unknown_hour: Timestamp | null;
}

export interface CountRegistryTable {
  operation_id: string;
  person_id: string;
  sex: string;
  age_band: string;
  category: string | null;
  vulnerabilities: string[] | null;
  /** The person's sealed category and vulnerabilities as last counted (a copy of persons.protected). */
  protected: Bytes | null;
  site_id: string;
  registered_at: Timestamp;
  merged_into: string | null;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PfifRecordsTable {
  operation_id: string;
  record_id: string;
  subject_kind: string;
  subject_id: string;
  sealed: Bytes;
  imported_at: Timestamp;
  imported_by: string;
}

/** A person's counted fields before each change (migration 0030). */
export interface PersonCountedHistoryTable {
  operation_id: string;
  person_id: string;
  seq: Generated<string>;
  changed_at: Timestamp;
  sex: string;
  age_band: string;
  site_id: string;
}

/** Other sources' figures (migration 0026). */
export interface OutsideSourcesTable {
  operation_id: string;
  id: string;
  source: string;
  stated_at: Timestamp;
  figure: ColumnType<number, number, never>;
  qualifier: string;
  claims: string;
  claim_text: string | null;
  recorded_at: Timestamp;
  recorded_by: string;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
}

export interface Database {
  users: UsersTable;
  sms_messages: SmsMessagesTable;
  sessions: SessionsTable;
  operations: OperationsTable;
  operation_keys: OperationKeysTable;
  role_grants: RoleGrantsTable;
  sites: SitesTable;
  devices: DevicesTable;
  households: HouseholdsTable;
  persons: PersonsTable;
  person_keys: PersonKeysTable;
  tag_ranges: TagRangesTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  audit_keys: AuditKeysTable;
  schema_migrations: SchemaMigrationsTable;
  duplicate_reviews: DuplicateReviewsTable;
  person_merges: PersonMergesTable;
  tracing_requests: TracingRequestsTable;
  tracing_candidates: TracingCandidatesTable;
  tracing_events: TracingEventsTable;
  tracing_request_keys: TracingRequestKeysTable;
  tracing_links: TracingLinksTable;
  routes: RoutesTable;
  movement_windows: MovementWindowsTable;
  convoys: ConvoysTable;
  vehicles: VehiclesTable;
  manifest_entries: ManifestEntriesTable;
  movement_facts: MovementFactsTable;
  protection_alerts: ProtectionAlertsTable;
  convoy_alerts: ConvoyAlertsTable;
  counters: CountersTable;
  counter_hours: CounterHoursTable;
  count_heads: CountHeadsTable;
  count_pending_persons: CountPendingPersonsTable;
  duplicate_checks_pending: DuplicateChecksPendingTable;
  count_registry: CountRegistryTable;
  login_throttle: LoginThrottleTable;
  pfif_records: PfifRecordsTable;

  import_mappings: ImportMappingsTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;

  role_requests: RoleRequestsTable;
  recovery_codes: RecoveryCodesTable;
  outside_sources: OutsideSourcesTable;
  person_counted_history: PersonCountedHistoryTable;
}
