import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCenter, createSlot, createService } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('public API', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('GET /health reports the database up', async () => {
    const response = await t.api.get('/health');
    assert.equal(response.status, 200);
    assert.equal(response.body.info.database.status, 'up');
  });

  it('lists centers with localised names and their services with documents to bring', async () => {
    const { center, service } = await createCenter(t.dataSource, { nameEn: 'Listed Center' });
    const centers = await t.api.get('/api/v1/centers');
    assert.equal(centers.status, 200);
    const listed = centers.body.find((c: { id: string }) => c.id === center.id);
    assert.deepEqual(listed, {
      id: center.id,
      code: center.code,
      name: { zh: center.nameZh, en: 'Listed Center' },
      address: { zh: center.addressZh, en: center.addressEn },
      timezone: 'Asia/Shanghai',
    });
    const services = await t.api.get(`/api/v1/centers/${center.id}/services`);
    assert.equal(services.status, 200);
    assert.deepEqual(services.body, [
      { id: service.id, code: service.code, name: { zh: service.nameZh, en: service.nameEn }, leadTimeHours: 0, requiredDocuments: service.requiredDocuments },
    ]);
  });

  it('answers 404 problem+json for an unknown center and 400 for a malformed id', async () => {
    const unknown = await t.api.get('/api/v1/centers/00000000-0000-4000-8000-000000000000/services');
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(unknown.body.code, 'not_found');
    const malformed = await t.api.get('/api/v1/centers/not-a-uuid/services');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'validation_failed');
  });

  it('availability lists only slots with places left, inside lead time and window', async () => {
    const service = await createService(t.dataSource, { leadTimeHours: 24 });
    const { center } = await createCenter(t.dataSource, { bookingWindowDays: 3 }, service);
    const tooSoon = await createSlot(t.dataSource, center.id, { hoursFromNow: 2 });
    const open = await createSlot(t.dataSource, center.id, { hoursFromNow: 30, capacity: 3 });
    const full = await createSlot(t.dataSource, center.id, { hoursFromNow: 31 });
    await t.dataSource.query('UPDATE slot SET booked = capacity WHERE id = $1', [full.id]);
    const beyondWindow = await createSlot(t.dataSource, center.id, { hoursFromNow: 24 * 6 });
    const response = await t.api.get(`/api/v1/centers/${center.id}/availability?serviceId=${service.id}`);
    assert.equal(response.status, 200, response.text);
    const ids = response.body.map((s: { slotId: string }) => s.slotId);
    assert.ok(ids.includes(open.id));
    for (const hidden of [tooSoon, full, beyondWindow]) assert.ok(!ids.includes(hidden.id));
    const listed = response.body.find((s: { slotId: string }) => s.slotId === open.id);
    assert.equal(listed.remaining, 3);
    assert.match(listed.startsAt, /\+08:00$/);
    assert.equal(new Date(listed.startsAt).getTime(), open.startsAt.getTime());
  });

  it('availability refuses a range over 31 days or upside down with invalid_range', async () => {
    const { center, service } = await createCenter(t.dataSource);
    for (const query of ['from=2026-01-01&to=2026-02-01', 'from=2026-01-10&to=2026-01-09', 'from=2026-13-01&to=2026-13-02']) {
      const response = await t.api.get(`/api/v1/centers/${center.id}/availability?serviceId=${service.id}&${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(response.body.code, 'invalid_range', query);
    }
    const thirtyOne = await t.api.get(`/api/v1/centers/${center.id}/availability?serviceId=${service.id}&from=2026-01-01&to=2026-01-31`);
    assert.equal(thirtyOne.status, 200);
  });

  it('availability for a service the center does not offer is service_not_offered', async () => {
    const { center } = await createCenter(t.dataSource);
    const other = await createService(t.dataSource);
    const response = await t.api.get(`/api/v1/centers/${center.id}/availability?serviceId=${other.id}`);
    assert.equal(response.status, 422);
    assert.equal(response.body.code, 'service_not_offered');
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await t.api.get('/api/docs-json');
    assert.equal(json.status, 200);
    assert.equal(json.body.info.title, 'Civic Desk');
    assert.ok(json.body.paths['/api/v1/appointments']);
    const ui = await t.api.get('/api/docs');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
  });
});
