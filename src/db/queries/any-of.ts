/**
 * A list of ids as one parameter: `.where('id', '=', anyOf(ids))` is `id = any($1::text[])`.
 * A list written `in (…)` binds one parameter per value, and PostgreSQL's wire protocol counts
 * parameters in 16 bits: past 65,535 values the statement fails ("bind message has 1475
 * parameter formats but 0 parameters" was 67,011 people of a reception site). One array
 * parameter has no such limit, and an empty list is simply false.
 */
import { sql, type RawBuilder } from 'kysely';

export function anyOf(values: Iterable<string>): RawBuilder<string> {
  return sql<string>`any(${[...values]}::text[])`;
}
