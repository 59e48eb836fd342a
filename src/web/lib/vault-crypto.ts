/**
 * The cryptography of the phone's vault (docs/decisions/021-phone-vault.md), WebCrypto only, so
 * the same code runs in the browser and in Node's tests.
 *
 * Each phone vault has an ECDH P-256 key pair. Anything with names in it (a queued registration,
 * the reception's expected list) is sealed to the vault's public key: a fresh ephemeral key pair
 * per box, ECDH, AES-256-GCM. Sealing needs only the public key, so a registrar can go on saving
 * after an offline reload; opening needs the private key, which is kept only encrypted (AES-GCM)
 * under the key the server releases to a logged-in account (GET /api/auth/vault-key). In memory
 * the opened private key is a non-extractable CryptoKey.
 */

export interface SealedBox {
  v: 1;
  /** The ephemeral public key (raw, uncompressed point), base64. */
  epk: string;
  iv: string;
  ct: string;
}

/** The vault's private key, encrypted under the server's key. */
export interface WrappedPrivateKey {
  iv: string;
  ct: string;
}

const subtle = () => globalThis.crypto.subtle;
export const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const enc = new TextEncoder();
const dec = new TextDecoder();

export const toB64 = (b: ArrayBuffer | Uint8Array) => {
  const bytes = b instanceof Uint8Array ? b : new Uint8Array(b);
  let s = '';
  for (const x of bytes) s += String.fromCharCode(x);
  return btoa(s);
};
export const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** The server's key (32 bytes, base64url or base64) as a non-extractable AES-GCM key. */
export async function importServerKey(b64: string): Promise<CryptoKey> {
  const raw = fromB64(b64.replace(/-/g, '+').replace(/_/g, '/'));
  if (raw.length !== 32) throw new Error('the vault key must be 32 bytes');
  return subtle().importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** A new vault: its public key (kept in clear: it can only seal) and its private key wrapped under the server's key. */
export async function newVault(serverKey: CryptoKey, aad: string): Promise<{ publicKey: JsonWebKey; wrapped: WrappedPrivateKey }> {
  const pair = await subtle().generateKey(ECDH, true, ['deriveKey']);
  const publicKey = await subtle().exportKey('jwk', pair.publicKey);
  const pkcs8 = await subtle().exportKey('pkcs8', pair.privateKey);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(aad) }, serverKey, pkcs8);
  return { publicKey, wrapped: { iv: toB64(iv), ct: toB64(ct) } };
}

/** Opens the vault's private key with the server's key; fails (OperationError) with any other key. */
export async function unwrapPrivateKey(serverKey: CryptoKey, wrapped: WrappedPrivateKey, aad: string): Promise<CryptoKey> {
  const pkcs8 = await subtle().decrypt(
    { name: 'AES-GCM', iv: fromB64(wrapped.iv), additionalData: enc.encode(aad) },
    serverKey,
    fromB64(wrapped.ct),
  );
  return subtle().importKey('pkcs8', pkcs8, ECDH, false, ['deriveKey']);
}

const aesFrom = (priv: CryptoKey, pub: CryptoKey, usage: KeyUsage) =>
  subtle().deriveKey({ name: 'ECDH', public: pub }, priv, { name: 'AES-GCM', length: 256 }, false, [usage]);

/** Seals a JSON value to the vault's public key; `aad` binds it to its place (e.g. the command's client id). */
export async function seal(publicJwk: JsonWebKey, value: unknown, aad: string): Promise<SealedBox> {
  const pub = await subtle().importKey('jwk', publicJwk, ECDH, false, []);
  const eph = await subtle().generateKey(ECDH, true, ['deriveKey']);
  const key = await aesFrom(eph.privateKey, pub, 'encrypt');
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(aad) }, key, enc.encode(JSON.stringify(value)));
  const epk = await subtle().exportKey('raw', eph.publicKey);
  return { v: 1, epk: toB64(epk), iv: toB64(iv), ct: toB64(ct) };
}

export async function open<T>(privateKey: CryptoKey, box: SealedBox, aad: string): Promise<T> {
  const epk = await subtle().importKey('raw', fromB64(box.epk), ECDH, false, []);
  const key = await aesFrom(privateKey, epk, 'decrypt');
  const plain = await subtle().decrypt({ name: 'AES-GCM', iv: fromB64(box.iv), additionalData: enc.encode(aad) }, key, fromB64(box.ct));
  return JSON.parse(dec.decode(plain)) as T;
}

export function isSealedBox(x: unknown): x is SealedBox {
  return typeof x === 'object' && x !== null && (x as SealedBox).v === 1 && typeof (x as SealedBox).ct === 'string';
}
