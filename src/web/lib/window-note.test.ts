/**
 * A movement window's note in the user's language (issue 20 re-walk): Arabic in Arabic, English
 * otherwise, the other language's note when only that one was written, nothing when neither.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localWindowNote } from './names.js';

test('a window shows the note of the user’s language, else the other one', () => {
  const both = { note: 'Ceasefire agreement', noteAr: 'اتفاق وقف إطلاق النار' };
  assert.equal(localWindowNote(both, 'ar'), 'اتفاق وقف إطلاق النار');
  assert.equal(localWindowNote(both, 'en'), 'Ceasefire agreement');
  assert.equal(localWindowNote({ note: 'Ceasefire agreement', noteAr: null }, 'ar'), 'Ceasefire agreement');
  assert.equal(localWindowNote({ note: null, noteAr: 'اتفاق وقف إطلاق النار' }, 'en'), 'اتفاق وقف إطلاق النار');
  assert.equal(localWindowNote({ note: null, noteAr: null }, 'ar'), null);
  assert.equal(localWindowNote({ note: 'Stored before Arabic notes' }, 'ar'), 'Stored before Arabic notes');
});
