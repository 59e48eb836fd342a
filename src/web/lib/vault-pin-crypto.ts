/**
 * The PIN of the phone vault (docs/decisions/021-phone-vault.md): the vault's private key wrapped
 * a second time under a key derived from a PIN, WebCrypto only (runs in the browser and in Node's
 * tests). Apart from lib/vault-crypto.ts so that it loads only with the PIN form (its own chunk).
 */
import { ECDH, fromB64, toB64, type WrappedPrivateKey } from './vault-crypto.js';

const subtle = () => globalThis.crypto.subtle;
const enc = new TextEncoder();

/**
 * The vault's private key wrapped a second time, under a key derived from the user's PIN
 * (PBKDF2-SHA-256, `iterations` rounds, a random salt): opens the vault after an offline reload,
 * when the server's key cannot be asked for. A short PIN falls to a guess against a copied storage
 * in hours at most; the PIN guards against someone opening the app, with a limited number of tries
 * (kept by the caller), not against a forensic copy (docs/decisions/021-phone-vault.md).
 */
export interface PinWrappedKey {
  salt: string;
  iterations: number;
  iv: string;
  ct: string;
}

/** PBKDF2 rounds for a new PIN wrap: OWASP's figure for PBKDF2-HMAC-SHA256 (2023). */
export const PIN_ITERATIONS = 600_000;
export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 12;

/** Why a PIN cannot be used (digits only, 6 to 12 of them), or null when it can. */
export function pinProblem(pin: string): 'digits' | 'short' | 'long' | null {
  if (!/^[0-9]*$/.test(pin)) return 'digits';
  if (pin.length < PIN_MIN_LENGTH) return 'short';
  if (pin.length > PIN_MAX_LENGTH) return 'long';
  return null;
}

async function pinKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await subtle().importKey('raw', enc.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}

const pinAad = (aad: string) => `${aad}:pin`;

/** Wraps the vault's private key (opened with the server's key) under a key derived from the PIN. */
export async function wrapWithPin(
  serverKey: CryptoKey,
  wrapped: WrappedPrivateKey,
  aad: string,
  pin: string,
  iterations = PIN_ITERATIONS,
): Promise<PinWrappedKey> {
  if (pinProblem(pin)) throw new Error('the PIN must be 6 to 12 digits');
  const pkcs8 = await subtle().decrypt(
    { name: 'AES-GCM', iv: fromB64(wrapped.iv), additionalData: enc.encode(aad) },
    serverKey,
    fromB64(wrapped.ct),
  );
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const key = await pinKey(pin, salt, iterations);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(pinAad(aad)) }, key, pkcs8);
  return { salt: toB64(salt), iterations, iv: toB64(iv), ct: toB64(ct) };
}

/** Opens the vault's private key with the PIN; fails (OperationError) with any other PIN. */
export async function unwrapWithPin(pinWrapped: PinWrappedKey, aad: string, pin: string): Promise<CryptoKey> {
  const key = await pinKey(pin, fromB64(pinWrapped.salt), pinWrapped.iterations);
  const pkcs8 = await subtle().decrypt(
    { name: 'AES-GCM', iv: fromB64(pinWrapped.iv), additionalData: enc.encode(pinAad(aad)) },
    key,
    fromB64(pinWrapped.ct),
  );
  return subtle().importKey('pkcs8', pkcs8, ECDH, false, ['deriveKey']);
}
