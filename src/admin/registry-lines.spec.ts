import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cnRicCheckCharacter } from '../identity/id-number';
import { checkLine, isHeader } from './registry-lines';

const TODAY = new Date('2026-12-01T00:00:00Z');
const id = (body17: string): string => body17 + cnRicCheckCharacter(body17);
const ID_A = id('52010219800101001');
const ID_B = id('52010219900202002');

describe('registry file lines', () => {
  it('recognises a header only by a first field without digits', () => {
    assert.equal(isHeader(['idNumber', 'phone']), true);
    assert.equal(isHeader(['身份证号', '手机号']), true);
    assert.equal(isHeader([ID_A, '13812345678']), false);
  });

  it('accepts an ID and a mobile number, normalised (X upper case, E.164)', () => {
    const seen = new Set<string>();
    const verdict = checkLine([ID_A.toLowerCase(), '138 1234 5678'], seen, TODAY);
    assert.deepEqual(verdict, { ok: true, entry: { idNumber: ID_A, phone: '+8613812345678' } });
    assert.ok(seen.has(ID_A));
  });

  it('names what is wrong with a line', () => {
    const seen = new Set<string>();
    const wrongCheck = `${ID_A.slice(0, 17)}${ID_A.endsWith('0') ? '1' : '0'}`;
    assert.deepEqual(checkLine([wrongCheck, '13812345678'], seen, TODAY), { ok: false, code: 'invalid_id_number' });
    assert.deepEqual(checkLine([id('52010230000101001'), '13812345678'], seen, TODAY), { ok: false, code: 'invalid_id_number' }, 'born in the future');
    assert.deepEqual(checkLine([ID_B, '12345'], seen, TODAY), { ok: false, code: 'invalid_phone' });
    assert.deepEqual(checkLine([ID_B, '01088886666'], seen, TODAY), { ok: false, code: 'invalid_phone' }, 'a landline cannot receive SMS');
    assert.deepEqual(checkLine([ID_B], seen, TODAY), { ok: false, code: 'invalid_line' });
    assert.deepEqual(checkLine([ID_B, '13812345678', 'extra'], seen, TODAY), { ok: false, code: 'invalid_line' });
    assert.equal(checkLine([ID_B, '13812345678', '', ''], seen, TODAY).ok, true, 'trailing empty fields are ignored');
    assert.deepEqual(checkLine([ID_B, '13900001111'], seen, TODAY), { ok: false, code: 'duplicate' });
  });

  it('does not count an invalid line as seen', () => {
    const seen = new Set<string>();
    assert.equal(checkLine([ID_A, 'nope'], seen, TODAY).ok, false);
    assert.equal(checkLine([ID_A, '13812345678'], seen, TODAY).ok, true);
  });
});
