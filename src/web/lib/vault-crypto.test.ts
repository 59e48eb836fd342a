/** The phone vault's cryptography (WebCrypto, as in the browser): seal without the key, open only with it, nothing in clear. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { importServerKey, newVault, open, seal, unwrapPrivateKey } from './vault-crypto.js';

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
