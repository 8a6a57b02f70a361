import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateCenterDto } from '../../admin/dto/center.dto';
import { CreateServiceDto } from '../../admin/dto/service.dto';
import { checkForm, numberField, typedValues } from './admin-form';
import { centerBody } from './center-form';
import { serviceBody, serviceFieldOf } from './service-form';

describe('admin forms, checked by the API’s own DTOs', () => {
  it('accepts a complete center form as the API would', async () => {
    const form = { code: 'GY-NEW', name_zh: '新中心', name_en: 'New center', address_zh: '路 1 号', address_en: '1 Road', slotMinutes: '20', bookingWindowDays: '7', timezone: '', releaseTime: '' };
    const checked = await checkForm(CreateCenterDto, centerBody(form));
    assert.ok(checked.ok);
    assert.equal(checked.value.slotMinutes, 20);
    assert.equal(checked.value.timezone, undefined, 'empty means the default');
  });

  it('names each refused field as the form does, with its own message', async () => {
    const checked = await checkForm(CreateCenterDto, centerBody({ code: '-bad', name_zh: '', name_en: 'x', address_zh: 'x', address_en: 'x', slotMinutes: 'ten', timezone: 'Mars/Base' }));
    assert.ok(!checked.ok);
    assert.deepEqual(Object.keys(checked.errors).sort(), ['code', 'name_zh', 'slotMinutes', 'timezone']);
    assert.equal(checked.errors.name_zh!.key, 'admin:invalid.name_zh');
  });

  it('pairs the documents line by line and says when the two languages differ in number', async () => {
    const { body, errors } = serviceBody({ code: 'C', name_zh: '证明', name_en: 'Certificate', documents_zh: '身份证\n\n户口簿 ', documents_en: 'ID card', leadTimeHours: '0' });
    assert.deepEqual(body.requiredDocuments, [{ zh: '身份证', en: 'ID card' }, { zh: '户口簿', en: '' }]);
    assert.equal(body.active, false, 'an unticked box is not sent by the browser');
    assert.deepEqual(errors.documents_en, { key: 'admin:invalid.documents_count', params: { zh: 2, en: 1 } });
    const checked = await checkForm(CreateServiceDto, body, serviceFieldOf);
    assert.ok(!checked.ok);
    assert.equal(checked.errors.documents_en!.key, 'admin:invalid.requiredDocuments_en');
  });

  it('keeps what was typed, but never a password or the CSRF token', () => {
    assert.deepEqual(typedValues({ username: 'li.na', password: 'secret secret', _csrf: 't', role: 'clerk', list: ['x'] }), { username: 'li.na', role: 'clerk' });
    assert.equal(numberField({ n: ' 12 ' }, 'n'), 12);
    assert.equal(numberField({ n: '1.5' }, 'n'), '1.5');
    assert.equal(numberField({ n: '' }, 'n'), undefined);
  });
});
