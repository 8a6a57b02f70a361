import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReference, newReference, REFERENCE_ALPHABET } from './reference';

describe('appointment references', () => {
  it('use an alphabet without look-alikes', () => {
    for (const confusable of ['0', 'O', '1', 'I', 'L']) assert.ok(!REFERENCE_ALPHABET.includes(confusable), confusable);
  });

  it('are at least 8 characters of that alphabet and practically unique', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const reference = newReference();
      assert.ok(reference.length >= 8);
      assert.ok(isReference(reference), reference);
      seen.add(reference);
    }
    assert.equal(seen.size, 10_000);
  });
});
