import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cnRicCheckCharacter } from '../src/identity/id-number';
import { newIdNumber, newPhone } from './support/identities';
import { residentIdOf, signIn } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

/** Full-width forms, as Chinese input methods type them (U+FF10… for digits, U+FF38 for X). */
const fullWidth = (ascii: string) => ascii.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('ID numbers as residents type them', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('full-width digits and spaces sign in to the same resident as the ASCII number', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    const typed = fullWidth(`${idNumber.slice(0, 6)} ${idNumber.slice(6, 14)} ${idNumber.slice(14)}`);
    assert.notEqual(typed, idNumber);
    const first = await signIn(t.api, typed, phone);
    const second = await signIn(t.api, idNumber, phone);
    assert.equal(await residentIdOf(t.dataSource, first), await residentIdOf(t.dataSource, second));
    const exported = await t.api.get('/api/v1/me/export', { token: first.token });
    assert.equal(exported.status, 200);
    assert.equal(exported.body.resident.idNumber, idNumber, 'stored as the ASCII number');
  });

  it('a number whose province code GB/T 2260 does not have is refused as invalid_id_number', async () => {
    const body = `000000${newIdNumber().slice(6, 17)}`;
    const response = await t.api.post('/api/v1/auth/otp', { idNumber: body + cnRicCheckCharacter(body), phone: newPhone() });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, 'invalid_id_number');
  });
});
