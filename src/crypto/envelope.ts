/**
 * Envelope encryption of protection data. Each operation has its own 256-bit data key,
 * stored only wrapped (AES-256-GCM) by the master key. Fields are sealed with AES-256-GCM
 * under the data key, bound by associated data to the row and field they belong to, so a
 * ciphertext copied onto another person's row does not open. Searchable keys are HMAC-SHA256
 * under a key derived from the data key: equal inputs give equal hashes, and nothing else.
 * Node's crypto module does the cryptography; only the framing is ours.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer {
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < 1 + IV_BYTES + TAG_BYTES || buf[0] !== VERSION) throw new KeyError('unknown ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new KeyError('ciphertext does not open with this key (wrong key, or tampered)');
  }
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

export function wrapKey(masterKey: Uint8Array, dataKey: Uint8Array, operationId: string): Buffer {
  return seal(masterKey, dataKey, `corridor:data-key:${operationId}`);
}

export function unwrapKey(masterKey: Uint8Array, wrapped: Uint8Array, operationId: string): Buffer {
  try {
    return open(masterKey, wrapped, `corridor:data-key:${operationId}`);
  } catch {
    throw new KeyError(
      `the master key does not open the data key of operation ${operationId}: is CORRIDOR_MASTER_KEY the one this database was created with?`,
    );
  }
}

/** The keys of one operation, ready to use. */
export interface OperationKeys {
  readonly operationId: string;
  readonly encryptionKey: Buffer;
  readonly hmacKey: Buffer;
}

export function deriveOperationKeys(operationId: string, dataKey: Uint8Array): OperationKeys {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(operationId), label, 32));
  return { operationId, encryptionKey: derive('corridor:fields:v1'), hmacKey: derive('corridor:blocking:v1') };
}

export function sealJson(keys: OperationKeys, value: unknown, aad: string): Buffer {
  return seal(keys.encryptionKey, Buffer.from(JSON.stringify(value), 'utf8'), `${keys.operationId}:${aad}`);
}

export function openText(keys: OperationKeys, sealed: Uint8Array, aad: string): string {
  return open(keys.encryptionKey, sealed, `${keys.operationId}:${aad}`).toString('utf8');
}

export function openJson<T>(keys: OperationKeys, sealed: Uint8Array, aad: string): T {
  return JSON.parse(openText(keys, sealed, aad)) as T;
}

export function keyedHash(keys: OperationKeys, kind: string, value: string): Buffer {
  return createHmac('sha256', keys.hmacKey).update(kind).update('\u0000').update(value).digest().subarray(0, 16);
}
