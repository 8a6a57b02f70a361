import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cnRic, cnRicCheckCharacter, EARLIEST_BIRTH_YEAR } from './id-number';

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

  const withCheck = (first17: string) => first17 + cnRicCheckCharacter(first17);

  it('reads full-width digits and letters, and spaces, as Chinese input methods type them', () => {
    assert.equal(cnRic.normalise('１１０１０５１９４９１２３１００２Ｘ', TODAY), '11010519491231002X');
    assert.equal(cnRic.normalise('１１０１０５１９４９１２３１００２ｘ', TODAY), '11010519491231002X');
    assert.equal(cnRic.normalise('110105 19491231 002X', TODAY), '11010519491231002X');
  });

  it('checks the province code against GB/T 2260', () => {
    assert.equal(cnRic.normalise(withCheck('00000019900101001'), TODAY), undefined, '00');
    assert.equal(cnRic.normalise(withCheck('99010219900101001'), TODAY), undefined, '99');
    assert.equal(cnRic.normalise(withCheck('10010219900101001'), TODAY), undefined, '10');
    assert.equal(cnRic.normalise(withCheck('83010219900101001'), TODAY), undefined, '83');
    for (const province of ['11', '46', '65', '71', '81', '82']) {
      const number = withCheck(`${province}010219900101001`);
      assert.equal(cnRic.normalise(number, TODAY), number, province);
    }
  });

  it('accepts someone born today in China at any hour, also before 08:00 Beijing time (still yesterday in UTC)', () => {
    const bornToday = withCheck('11010520261201001');
    for (const instant of ['2026-11-30T16:00:00Z', '2026-11-30T23:59:00Z', '2026-12-01T15:59:00Z']) {
      assert.equal(cnRic.normalise(bornToday, new Date(instant)), bornToday, instant);
    }
    assert.equal(cnRic.normalise(bornToday, new Date('2026-11-30T15:59:00Z')), undefined, 'the day before in Beijing');
    assert.equal(cnRic.normalise(withCheck('11010520261202001'), new Date('2026-12-01T15:59:00Z')), undefined, 'tomorrow in Beijing');
  });

  it(`refuses birth years before ${EARLIEST_BIRTH_YEAR} on purpose, including 0001-0099`, () => {
    for (const year of ['0001', '0050', '0099', '1849']) assert.equal(cnRic.normalise(withCheck(`110105${year}0101001`), TODAY), undefined, year);
    const earliest = withCheck(`110105${EARLIEST_BIRTH_YEAR}0101001`);
    assert.equal(cnRic.normalise(earliest, TODAY), earliest);
  });
});
