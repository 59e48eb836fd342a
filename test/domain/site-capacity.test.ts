/** Whether a site has a place for someone checking in: the rule the check-in service and the reception desk share. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteIsFullFor } from '../../src/domain/site-capacity.js';

const shelter = { id: 'shelter', capacity: 3 };

test('a site without a capacity is never full', () => {
  assert.equal(siteIsFullFor({ id: 'camp', capacity: null }, 10_000), false);
});

test('a newcomer is refused once the capacity is reached, not before', () => {
  assert.equal(siteIsFullFor(shelter, 2), false);
  assert.equal(siteIsFullFor(shelter, 3), true);
  assert.equal(siteIsFullFor(shelter, 4), true);
  assert.equal(siteIsFullFor(shelter, 3, null), true);
});

test('someone whose latest check-in is already at this site takes no new place; elsewhere they do', () => {
  assert.equal(siteIsFullFor(shelter, 3, 'shelter'), false);
  assert.equal(siteIsFullFor(shelter, 3, 'another-site'), true);
});
