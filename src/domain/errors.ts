/**
 * The one catalogue of errors Corridor can answer with. Every case has a stable code that
 * clients and docs/errors.md rely on; the HTTP status comes from the catalogue, never from
 * the place that throws. Unknown failures become `internal` and reveal nothing.
 */

export const errorCatalogue = {
  'request.invalid': { status: 400, message: 'The request is not valid.' },
  'request.idempotency_key_missing': {
    status: 400,
    message: 'Every write needs an Idempotency-Key header (a ULID or UUID made by the client).',
  },
  'request.idempotency_key_reused': {
    status: 409,
    message: 'This client id was already used for a different request; the first one stands.',
  },
  'request.too_large': { status: 413, message: 'The request body is too large.' },
  'request.unsupported_media_type': { status: 415, message: 'Send the body as application/json.' },
  'request.not_found': { status: 404, message: 'There is no such address.' },
  'request.in_progress': {
    status: 409,
    message: 'A request with this client id is still being processed: send it again with the same client id after Retry-After.',
  },

  'request.rate_limited': { status: 429, message: 'Too many requests: wait before sending more (Retry-After).' },
  'auth.required': { status: 401, message: 'Log in first.' },
  'auth.invalid_credentials': { status: 401, message: 'The username or password is wrong.' },
  'auth.locked': { status: 429, message: 'Too many failed logins from this address: wait before trying again (Retry-After).' },
  'auth.second_factor_required': {
    status: 401,
    message: 'Give the code of your authenticator app (or a recovery code) with your password.',
  },
  'auth.second_factor_invalid': { status: 401, message: 'The code is wrong or was used already.' },
  'auth.account_setup_required': {
    status: 403,
    message: 'Finish setting up your account first: change your password, or set up a second factor (details.pending).',
  },
  'auth.second_factor_enabled': { status: 409, message: 'The second factor is already on; an administrator can reset it.' },
  'auth.second_factor_not_set_up': { status: 409, message: 'Start the set-up of the second factor first.' },
  'auth.forbidden': { status: 403, message: 'Your role does not allow this.' },
  'auth.restricted_field': { status: 403, message: 'Your role may not write one of these fields.' },
  'operation.not_found': { status: 404, message: 'There is no such operation, or you have no role in it.' },
  'operation.code_taken': { status: 409, message: 'An operation with this code already exists.' },
  'operation.shredded': {
    status: 410,
    message: 'This operation was crypto-shredded: the names and notes of its people can no longer be read or written. Its counts remain.',
  },
  'site.not_found': { status: 404, message: 'There is no such site in this operation.' },
  'site.full': { status: 409, message: 'This site has no free place left (its capacity is reached).' },
  'household.not_found': { status: 404, message: 'There is no such household in this operation.' },
  'person.not_found': { status: 404, message: 'There is no such person in this operation.' },
  'person.name_required': { status: 400, message: 'A person needs at least a given name or a family name, in Arabic or Latin letters.' },
  'person.shredded': { status: 410, message: 'This person was crypto-shredded: nothing about them can be read or changed any more.' },
  'tag.invalid': { status: 400, message: 'This tag code is not valid.' },
  'tag.taken': { status: 409, message: 'This tag is already bound to another person.' },
  'tag.not_in_range': { status: 409, message: 'This tag is not in any wristband range of this operation.' },
  'tag_range.overlap': { status: 409, message: 'This wristband range overlaps one already allocated.' },
  'user.not_found': { status: 404, message: 'There is no such user.' },
  'user.username_taken': { status: 409, message: 'This username is taken.' },
  'user.password_weak': { status: 400, message: 'This password is too easy to guess; choose a longer phrase of uncommon words.' },
  'user.phone_taken': { status: 409, message: 'This phone number already belongs to another account.' },
  'sms.bad_secret': { status: 401, message: "The SMS gateway's secret is missing or wrong." },
  'sms.not_configured': { status: 404, message: 'The SMS gateway is not set up on this server (CORRIDOR_SMS_SECRET).' },
  'device.not_found': { status: 404, message: 'There is no such device.' },
  'device.role_not_held': {
    status: 403,
    message: 'A device token never holds more than the account that makes it: you do not hold every permission of this role here.',
  },
  'device.revoked': {
    status: 401,
    message: 'This device was revoked: it must wipe what it holds (its queue and any names) and be registered again.',
  },
  'device.expired': {
    status: 401,
    message: 'This device token has expired: an admin registers the device again; keep its queue and send it with the new token.',
  },
  'staff.self_grant': { status: 403, message: 'Nobody grants roles to themselves: ask another admin.' },
  'role_request.not_found': { status: 404, message: 'There is no such role request in this operation.' },
  'role_request.decided': { status: 409, message: 'This role request was already decided.' },
  'role_request.own': {
    status: 403,
    message: 'A role request is approved by a second admin: not by the admin who asked for it, nor by the account it is for.',
  },
  'convoy.not_found': { status: 404, message: 'There is no such convoy in this operation.' },
  'convoy.invalid_transition': { status: 409, message: 'The convoy cannot make this move from its current state.' },
  'convoy.outside_movement_window': {
    status: 409,
    message: 'Movement is not allowed now (outside every movement window); a coordinator may override with a reason.',
  },
  'convoy.override_reason_required': { status: 400, message: 'An override needs a reason.' },
  'route.not_found': { status: 404, message: 'There is no such route in this operation.' },
  'route.invalid': { status: 400, message: 'A route is an ordered list of at least two different sites of the operation.' },
  'manifest.closed': { status: 409, message: 'This vehicle no longer takes boarding changes.' },
  'manifest.vehicle_not_found': { status: 404, message: 'There is no such vehicle in this convoy.' },
  'manifest.vehicle_full': { status: 409, message: 'The vehicle is full.' },
  'manifest.household_split': { status: 409, message: 'This would split a household across vehicles; give a reason to split it.' },
  'manifest.person_already_manifested': { status: 409, message: 'This person is already on a manifest.' },
  'manifest.person_not_in_household': { status: 400, message: 'This person is not a member of the household.' },
  'manifest.head_count_vehicle': { status: 409, message: 'This vehicle carries a head count, not names.' },
  'manifest.not_head_count_vehicle': { status: 409, message: 'This vehicle carries named people, not a head count.' },
  'manifest.not_on_manifest': {
    status: 409,
    message: "This person is not on this convoy's manifest (never boarded, or already taken off).",
  },
  'manifest.no_head_count': { status: 409, message: 'This vehicle has no head count to remove.' },
  'fact.not_found': { status: 404, message: 'There is no such fact in this operation.' },
  'fact.boarding_correction': {
    status: 409,
    message: "A boarding is undone by taking people off the vehicle (the convoy's removals), not by a correction sent with the facts.",
  },
  'duplicate.not_found': { status: 404, message: 'There is no such duplicate review in this operation.' },
  'duplicate.already_decided': { status: 409, message: 'This duplicate review was already decided.' },
  'tracing.not_found': { status: 404, message: 'There is no such tracing request in this operation.' },
  'tracing.consent_missing': { status: 409, message: 'This person has not consented to be traced.' },
  'tracing.same_officer': {
    status: 403,
    message: 'A found person is confirmed by a second officer: not by the one who proposed them.',
  },
  'tracing.not_pending': {
    status: 409,
    message: 'This case has no found person waiting for confirmation, or it names another person: read the case again.',
  },
  'protection_alert.not_found': { status: 404, message: 'There is no such protection alert in this operation.' },
  'protection_alert.closed': { status: 409, message: 'This protection alert is already closed; its outcome stands.' },
  'protection_alert.already_acknowledged': { status: 409, message: 'This protection alert was already acknowledged.' },
  'convoy_alert.not_found': { status: 404, message: 'There is no such convoy alert in this operation.' },
  'convoy_alert.already_acknowledged': { status: 409, message: 'This convoy alert was already acknowledged.' },
  'export.format_unsupported': {
    status: 400,
    message: 'This list cannot be written in this format (HXL is for count tables, PFIF for people).',
  },
  'export.filter_unsupported': { status: 400, message: 'This filter does not apply to this list.' },
  'pfif.malformed': { status: 400, message: 'The file is not a well-formed PFIF 1.4 XML document.' },
  'pfif.entities_refused': {
    status: 400,
    message: 'The XML document declares a DOCTYPE or entities; PFIF needs neither, and they are refused (entity expansion attacks).',
  },
  'pfif.invalid_record': { status: 400, message: 'A PFIF record lacks a required field or has a value PFIF 1.4 does not allow.' },
  'pfif.too_large': { status: 413, message: 'The PFIF document is larger than Corridor reads in one import.' },
  'sitrep.not_a_report': {
    status: 400,
    message: 'This file carries no Corridor situation report, or its embedded figures cannot be read.',
  },
  'keys.master_key_mismatch': {
    status: 503,
    message:
      "The server's master key does not open this operation's data key (was the master key rotated?). Restart the server with the current key.",
  },
  'import.file_too_large': { status: 413, message: 'The file is too large to import (at most 25 MB; split it).' },
  'import.malformed': { status: 400, message: 'The file cannot be read: it is damaged, truncated or not a CSV or XLSX file.' },
  'import.encoding': { status: 400, message: 'The text of the file is in an encoding Corridor cannot read: save it as CSV UTF-8.' },
  'import.xml_entities': {
    status: 400,
    message: 'The spreadsheet declares XML entities (a DOCTYPE): refused, as it could expand without end.',
  },
  'import.archive_too_large': { status: 413, message: 'The spreadsheet unpacks to more than Corridor reads (a compressed bomb?).' },
  'import.no_known_column': { status: 400, message: 'No column of the header row is one Corridor knows: map the columns by hand.' },
  'import.mapping_invalid': { status: 400, message: 'The column mapping does not fit the file.' },
  'import.rows_invalid': { status: 422, message: 'Some rows are not valid; with all-or-nothing, nothing was written.' },
  'import.value_invalid': { status: 400, message: 'A cell cannot be read as the field it is mapped to.' },
  'import.household_empty': { status: 400, message: 'This household has no member rows.' },
  'import.parent_missing': { status: 400, message: 'A repeat-group row names a submission the export does not hold.' },
  'import.not_found': { status: 404, message: 'There is no such import in this operation.' },
  conflict: { status: 409, message: 'The change conflicts with the current state.' },
  'database.unavailable': {
    status: 503,
    message:
      'The database cannot be reached for a moment (a restart or a switch to the standby): send the request again after Retry-After.',
  },
  internal: { status: 500, message: 'Something went wrong on the server. Quote the reference when you report it.' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export interface FieldIssue {
  /** Dotted path of the field, e.g. `members.2.givenName`. Empty for the whole body. */
  path: string;
  /** In English; `key` (src/domain/field-messages.ts) and `params` say it in any language. */
  message: string;
  /** A field message key or a catalogue code; the error handler fills it when a service leaves it out. */
  key?: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = details;
  }
}

export function invalid(fields: FieldIssue[], message?: string): AppError {
  return new AppError('request.invalid', message ?? fields[0]?.message, { fields });
}
