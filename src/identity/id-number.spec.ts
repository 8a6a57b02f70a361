import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cnRic, cnRicCheckCharacter } from './id-number';

const TODAY = new Date('2026-12-01T00:00:00Z');

describe('cn-ric ID numbers (GB 11643-1999)', () => {
  it('computes the ISO 7064 MOD 11-2 check character', () => {
    assert.equal(cnRicCheckCharacter('11010519491231002'), 'X');
    assert.equal(cnRicCheckCharacter('44052418800101001'), '4');
  });

  it('accepts valid numbers and normalises a lower-case x', () => {
    assert.equal(cnRic.normalise('11010519491231002X', TODAY), '11010519491231002X');
    assert.equal(cnRic.normalise(' 11010519491231002x ', TODAY), '11010519491231002X');
    assert.equal(cnRic.normalise('440524188001010014', TODAY), '440524188001010014');
  });

  it('refuses a wrong check character', () => {
    assert.equal(cnRic.normalise('110105194912310021', TODAY), undefined);
    assert.equal(cnRic.normalise('440524188001010015', TODAY), undefined);
  });

  it('refuses impossible and future birth dates', () => {
    const withCheck = (first17: string) => first17 + cnRicCheckCharacter(first17);
    assert.equal(cnRic.normalise(withCheck('52010219990230001'), TODAY), undefined, '30 February');
    assert.equal(cnRic.normalise(withCheck('52010219991301001'), TODAY), undefined, 'month 13');
    assert.equal(cnRic.normalise(withCheck('52010220301231001'), TODAY), undefined, 'future');
    assert.equal(cnRic.normalise(withCheck('52010220000229001'), TODAY), withCheck('52010220000229001'), 'leap day');
  });

  it('refuses 17 and 19 characters and non-digits', () => {
    assert.equal(cnRic.normalise('11010519491231002', TODAY), undefined);
    assert.equal(cnRic.normalise('11010519491231002X1', TODAY), undefined);
    assert.equal(cnRic.normalise('1101051949123100AX', TODAY), undefined);
  });
});
