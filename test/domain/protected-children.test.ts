/** The two protected-child flags: one list that the manifest, the reception alerts and the pages read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagsFor, makeVehicle, manifestFlags } from '../../src/domain/convoys/index.js';
import { isProtectedChildFlag, protectedChildFlags, protectedChildFlagsOf, vulnerabilities } from '../../src/domain/schemas/persons.js';

test('the protected-child flags are unaccompanied and separated children, vulnerabilities and manifest flags alike', () => {
  assert.deepEqual([...protectedChildFlags], ['unaccompanied_child', 'separated_child']);
  for (const f of protectedChildFlags) {
    assert.ok((vulnerabilities as readonly string[]).includes(f));
    assert.ok((manifestFlags as readonly string[]).includes(f));
  }
  assert.equal(isProtectedChildFlag('separated_child'), true);
  assert.equal(isProtectedChildFlag('child_without_adult_on_vehicle'), false);
  assert.equal(isProtectedChildFlag('wounded'), false);
});

test("a person's protected-child flags come in the list's order, whatever the order of the vulnerabilities", () => {
  assert.deepEqual(protectedChildFlagsOf(['separated_child', 'wounded', 'unaccompanied_child']), [
    'unaccompanied_child',
    'separated_child',
  ]);
  assert.deepEqual(protectedChildFlagsOf(['wounded']), []);
});

test('a protected child is flagged on the manifest as such, not as a child without an adult', () => {
  const bus = makeVehicle('c1', { id: 'bus', kind: 'bus', mode: 'named' });
  const child = {
    personId: 'p1',
    householdId: 'h1',
    sex: 'female' as const,
    ageBand: '5-11' as const,
    category: 'civilian' as const,
    vulnerabilities: ['separated_child' as const],
  };
  assert.deepEqual(flagsFor(child, bus, false), ['separated_child']);
  assert.deepEqual(flagsFor({ ...child, vulnerabilities: [] }, bus, false), ['child_without_adult_on_vehicle']);
});
