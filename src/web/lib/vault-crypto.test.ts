/** The phone vault's cryptography (WebCrypto, as in the browser): seal without the key, open only with it, nothing in clear. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { importServerKey, newVault, open, seal, unwrapPrivateKey } from './vault-crypto.js';
import { PIN_ITERATIONS, pinProblem, unwrapWithPin, wrapWithPin } from './vault-pin-crypto.js';

const serverKeyB64 = () => randomBytes(32).toString('base64url');
const household = { siteId: 'amiriyah', members: [{ names: { lat: { given: 'Samir', family: 'Nasser' }, ar: { given: 'سمير' } } }] };

test('a box sealed with the public key alone opens with the private key the server key unwraps', async () => {
  const serverKey = await importServerKey(serverKeyB64());
  const vault = await newVault(serverKey, 'corridor-phone-vault:u1');
  const box = await seal(vault.publicKey, household, 'client-1');
  const raw = JSON.stringify({ vault, box });
  for (const name of ['Samir', 'Nasser', 'سمير']) assert.equal(raw.includes(name), false, `no ${name} in clear`);
  const priv = await unwrapPrivateKey(serverKey, vault.wrapped, 'corridor-phone-vault:u1');
  assert.deepEqual(await open(priv, box, 'client-1'), household);
  assert.equal(priv.extractable, false, 'the opened key cannot be exported');
});

test('another server key, another account or another place cannot open it', async () => {
  const serverKey = await importServerKey(serverKeyB64());
  const vault = await newVault(serverKey, 'corridor-phone-vault:u1');
  await assert.rejects(unwrapPrivateKey(await importServerKey(serverKeyB64()), vault.wrapped, 'corridor-phone-vault:u1'));
  await assert.rejects(unwrapPrivateKey(serverKey, vault.wrapped, 'corridor-phone-vault:u2'), 'bound to its account');
  const priv = await unwrapPrivateKey(serverKey, vault.wrapped, 'corridor-phone-vault:u1');
  const box = await seal(vault.publicKey, household, 'client-1');
  await assert.rejects(open(priv, box, 'client-2'), 'bound to its command');
  const other = await newVault(serverKey, 'corridor-phone-vault:u1');
  await assert.rejects(open(await unwrapPrivateKey(serverKey, other.wrapped, 'corridor-phone-vault:u1'), box, 'client-1'));
  const tampered = { ...box, ct: box.ct.slice(0, -4) + (box.ct.endsWith('AAAA') ? 'BBBB' : 'AAAA') };
  await assert.rejects(open(priv, tampered, 'client-1'), 'a changed box is refused');
});

test('every box has its own ephemeral key and nonce', async () => {
  const serverKey = await importServerKey(serverKeyB64());
  const vault = await newVault(serverKey, 'a');
  const [a, b] = [await seal(vault.publicKey, household, 'x'), await seal(vault.publicKey, household, 'x')];
  assert.notEqual(a.epk, b.epk);
  assert.notEqual(a.iv, b.iv);
  assert.notEqual(a.ct, b.ct);
  await assert.rejects(importServerKey(randomBytes(16).toString('base64')), /32 bytes/);
});

test('the PIN opens the same private key the server key does; another PIN, account or a changed wrap does not', async () => {
  const serverKey = await importServerKey(serverKeyB64());
  const aad = 'corridor-phone-vault:u1';
  const vault = await newVault(serverKey, aad);
  const box = await seal(vault.publicKey, household, 'client-1');
  const pinned = await wrapWithPin(serverKey, vault.wrapped, aad, '482915');
  assert.equal(pinned.iterations, PIN_ITERATIONS);
  assert.ok(PIN_ITERATIONS >= 600_000, 'high iterations');
  assert.equal(JSON.stringify(pinned).includes('482915'), false, 'the PIN is not kept');
  const priv = await unwrapWithPin(pinned, aad, '482915');
  assert.equal(priv.extractable, false);
  assert.deepEqual(await open(priv, box, 'client-1'), household);
  await assert.rejects(unwrapWithPin(pinned, aad, '482916'), 'a wrong PIN');
  await assert.rejects(unwrapWithPin(pinned, 'corridor-phone-vault:u2', '482915'), 'bound to its account');
  await assert.rejects(unwrapWithPin({ ...pinned, iterations: 1000 }, aad, '482915'), 'the rounds are part of the key');
  // Each wrap has its own salt: the same PIN twice gives two different keys.
  const again = await wrapWithPin(serverKey, vault.wrapped, aad, '482915', 1000);
  assert.notEqual(again.salt, pinned.salt);
  assert.notEqual(again.ct, pinned.ct);
  await assert.rejects(wrapWithPin(await importServerKey(serverKeyB64()), vault.wrapped, aad, '482915', 1000), 'needs the server key');
});

test('a PIN is 6 to 12 digits', async () => {
  assert.equal(pinProblem('12345'), 'short');
  assert.equal(pinProblem('12345a'), 'digits');
  assert.equal(pinProblem('١٢٣٤٥٦'), 'digits');
  assert.equal(pinProblem('1234567890123'), 'long');
  assert.equal(pinProblem('123456'), null);
  const serverKey = await importServerKey(serverKeyB64());
  const vault = await newVault(serverKey, 'a');
  await assert.rejects(wrapWithPin(serverKey, vault.wrapped, 'a', '1234', 1000), /6 to 12 digits/);
});
