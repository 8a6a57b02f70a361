import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMobilePhone } from './phone';

describe('mobile phone parsing', () => {
  it('reads national numbers as mainland China and gives E.164', () => {
    assert.deepEqual(parseMobilePhone('13812345678'), { e164: '+8613812345678', national: '13812345678' });
    assert.deepEqual(parseMobilePhone('+86 138 1234 5678'), { e164: '+8613812345678', national: '13812345678' });
  });

  it('refuses landlines, short numbers and garbage', () => {
    assert.equal(parseMobilePhone('02112345678'), undefined);
    assert.equal(parseMobilePhone('1381234567'), undefined);
    assert.equal(parseMobilePhone('hello'), undefined);
    assert.equal(parseMobilePhone('1'.repeat(40)), undefined);
  });
});
