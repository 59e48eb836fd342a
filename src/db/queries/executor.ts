/** What query functions take first: the database or a transaction on it. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;
