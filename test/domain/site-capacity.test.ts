/** Whether a site has a place for someone checking in: the rule the check-in service and the reception desk share. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideCheckIn, overflowShelters, siteIsFullFor } from '../../src/domain/site-capacity.js';

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

test('a full site never refuses: it asks for a reason, and with one the check-in goes over capacity', () => {
  assert.deepEqual(decideCheckIn(shelter, 2, null), { decision: 'has_room' });
  assert.deepEqual(decideCheckIn(shelter, 3, null), { decision: 'reason_required', capacity: 3, occupied: 3 });
  assert.deepEqual(decideCheckIn(shelter, 3, null, '  '), { decision: 'reason_required', capacity: 3, occupied: 3 });
  assert.deepEqual(decideCheckIn(shelter, 4, null, ' supervisor agreed '), {
    decision: 'over_capacity',
    reason: 'supervisor agreed',
    capacity: 3,
    occupied: 4,
  });
  assert.deepEqual(decideCheckIn(shelter, 3, 'shelter', 'not needed'), { decision: 'has_room' }, 'already here: no new place');
});

test('overflow shelters are the other reception centres and camps with room, the roomiest first', () => {
  const sites = [
    { id: 'full-here', kind: 'reception_centre', capacity: 3 },
    { id: 'camp-b', kind: 'camp', capacity: 10 },
    { id: 'camp-a', kind: 'camp', capacity: 10 },
    { id: 'camp-full', kind: 'camp', capacity: 5 },
    { id: 'open', kind: 'reception_centre', capacity: null },
    { id: 'clinic', kind: 'hospital', capacity: 100 },
    { id: 'checkpoint', kind: 'checkpoint', capacity: null },
  ];
  const out = overflowShelters(sites, { 'camp-b': 2, 'camp-a': 2, 'camp-full': 5 }, 'full-here');
  assert.deepEqual(
    out.map((o) => [o.site.id, o.room]),
    [
      ['open', null],
      ['camp-a', 8],
      ['camp-b', 8],
    ],
  );
});
