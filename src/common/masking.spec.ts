import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskIdNumber, maskPhone } from './masking';

describe('masking', () => {
  it('keeps the first 3 and last 4 characters of an ID number', () => {
    assert.equal(maskIdNumber('52010219900101123X'), '520***********123X');
  });

  it('keeps the first 3 and last 4 digits of a phone', () => {
    assert.equal(maskPhone('13812345678'), '138****5678');
  });

  it('hides short values entirely', () => {
    assert.equal(maskPhone('12345'), '*****');
  });
});
