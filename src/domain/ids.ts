/**
 * Client-generated identifiers. Every write carries one (ULID, or a UUID), made on the device
 * before it talks to the server, so a queue that is sent twice creates nothing twice.
 */
import { z } from 'zod';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isClientId(value: string): boolean {
  return ULID.test(value) || UUID.test(value.toLowerCase());
}

export function normaliseClientId(value: string): string {
  return ULID.test(value) ? value : value.toLowerCase();
}

export const clientIdSchema = z.string().refine(isClientId, { message: 'must be a ULID or a UUID', params: { key: 'id_format' } });
