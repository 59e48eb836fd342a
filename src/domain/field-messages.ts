/**
 * A stable key (and its parameters) for every field-level message, beside the English text, so a
 * client says it in its user's language. The server sends `{ path, message, key, params }` in
 * `details.fields`; the web app translates `key` (docs/errors.md, "Field messages"). Zod issues
 * get their key here — the same function on the server and in the browser's own checks before
 * sending — and a field issue a service raises either names its key or takes its error's code.
 */
import { ENTITY_ID_PATTERN, SLUG_ID_PATTERN } from './id-patterns.js';

/** Every key of a field message; `fieldMessages.<key>` in both web catalogues (tested). */
export const fieldMessageKeys = [
  // from the schemas (zod issue kinds)
  'required',
  'number_max',
  'number_below',
  'number_min',
  'number_above',
  'text_max',
  'text_min',
  'list_max',
  'list_min',
  'too_big',
  'too_small',
  'not_a_number',
  'not_a_whole_number',
  'not_text',
  'not_a_list',
  'not_yes_no',
  'wrong_type',
  'date_format',
  'date_time_format',
  'id_format',
  'id_characters',
  'slug_characters',
  'email_format',
  'format',
  'not_multiple',
  'unknown_field',
  'choose_option',
  'invalid',
  // raised by the services
  'names_required',
  'duplicate_member_id',
  'search_query_required',
  'age_or_birth_date',
  'head_count_empty',
  'reason_required',
  'checkpoint_required',
  'tag_or_person',
  'id_taken',
  'not_in_operation',
  'restricted_field',
  'tag_given_twice',
  'wrong_password',
  'code_not_current',
  'ends_before_start',
  // custom checks of the schemas
  'age_range_order',
  'person_found_required',
  'sites_once',
  'legs_count',
  'each_once',
  'one_age_only',
  'text_characters',
  'time_zone_unknown',
  'nothing_changed',
  'not_a_real_date',
] as const;

export type FieldMessageKey = (typeof fieldMessageKeys)[number];

export interface KeyedFieldIssue {
  path: string;
  message: string;
  /** A field message key (`fieldMessageKeys`) or a catalogue error code (src/domain/errors.ts). */
  key?: string;
  params?: Record<string, string | number>;
}

/** The parts of a zod (v4) issue this reads; kept structural so the browser needs no zod internals. */
interface ZodIssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  divisor?: number | bigint;
  keys?: string[];
  params?: Record<string, unknown>;
  pattern?: string;
}

const num = (n: number | bigint | undefined) => (n === undefined ? 0 : Number(n));

/** The key and parameters of one zod issue. */
export function keyOfZodIssue(issue: ZodIssueLike): { key: FieldMessageKey; params?: Record<string, string | number> } {
  switch (issue.code) {
    case 'invalid_type': {
      const missing = 'input' in issue ? issue.input === undefined : /received undefined$/.test(issue.message);
      if (missing) return { key: 'required' };
      if (issue.expected === 'int') return { key: 'not_a_whole_number' };
      if (issue.expected === 'number' || issue.expected === 'bigint') return { key: 'not_a_number' };
      if (issue.expected === 'string') return { key: 'not_text' };
      if (issue.expected === 'array') return { key: 'not_a_list' };
      if (issue.expected === 'boolean') return { key: 'not_yes_no' };
      return { key: 'wrong_type' };
    }
    case 'too_big': {
      const maximum = num(issue.maximum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive === false ? { key: 'number_below', params: { maximum } } : { key: 'number_max', params: { maximum } };
      if (issue.origin === 'string') return { key: 'text_max', params: { maximum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'list_max', params: { maximum } };
      return { key: 'too_big' };
    }
    case 'too_small': {
      const minimum = num(issue.minimum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive === false ? { key: 'number_above', params: { minimum } } : { key: 'number_min', params: { minimum } };
      if (issue.origin === 'string') return minimum <= 1 ? { key: 'required' } : { key: 'text_min', params: { minimum } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'list_min', params: { minimum } };
      return { key: 'too_small' };
    }
    case 'invalid_format':
      if (issue.format === 'date') return { key: 'date_format' };
      if (issue.format === 'datetime') return { key: 'date_time_format' };
      if (issue.format === 'uuid' || issue.format === 'ulid' || issue.format === 'guid') return { key: 'id_format' };
      if (issue.format === 'email') return { key: 'email_format' };
      if (issue.format === 'regex' && issue.pattern === String(ENTITY_ID_PATTERN)) return { key: 'id_characters' };
      if (issue.format === 'regex' && issue.pattern === String(SLUG_ID_PATTERN)) return { key: 'slug_characters' };
      return { key: 'format' };
    case 'not_multiple_of':
      return num(issue.divisor) === 1 ? { key: 'not_a_whole_number' } : { key: 'not_multiple', params: { divisor: num(issue.divisor) } };
    case 'unrecognized_keys':
      return { key: 'unknown_field', params: { keys: (issue.keys ?? []).join(', ') } };
    case 'invalid_value':
      return { key: 'choose_option' };
    case 'custom': {
      const { key: k, ...rest } = issue.params ?? {};
      if (typeof k !== 'string' || !(fieldMessageKeys as readonly string[]).includes(k)) return { key: 'invalid' };
      // The check's own parameters (a bound, say) travel with its key.
      const params = Object.fromEntries(
        Object.entries(rest).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'),
      );
      return Object.keys(params).length ? { key: k as FieldMessageKey, params } : { key: k as FieldMessageKey };
    }
    default:
      return { key: 'invalid' };
  }
}

/** One zod issue as a field issue with its key; `prefix` is prepended to the path (e.g. `query`). */
export function fieldIssueOfZod(issue: ZodIssueLike, prefix = ''): KeyedFieldIssue {
  const { key, params } = keyOfZodIssue(issue);
  return {
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
    key,
    ...(params ? { params } : {}),
  };
}
