/** Which permission records which fact kind: one table in the policy module, that the fact writer reads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factKinds } from '../../src/domain/movements/facts.js';
import { factPermission, roleGrants, roles } from '../../src/domain/policy.js';

test('every fact kind but a correction names the permission that records it, held by a role that may send facts', () => {
  for (const kind of factKinds) {
    if (kind === 'correction') continue;
    const needs = factPermission[kind];
    assert.ok(needs, kind);
    assert.ok(
      roles.some((r) => roleGrants(r, needs) && roleGrants(r, 'fact.submit')),
      `${kind}: some role holds ${needs} and fact.submit`,
    );
  }
  assert.equal(factPermission.checked_in, 'reception.log');
  assert.equal(factPermission.passed_checkpoint, 'checkpoint.log');
  assert.equal(factPermission.boarded, 'convoy.manage');
});
