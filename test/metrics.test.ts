import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCenter, createSlot } from './support/factories';
import { signIn } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

describe('GET /metrics for Prometheus', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: 'scrape-me' } });
  });
  after(() => t.close());

  it('wants the scrape token when one is configured', async () => {
    assert.equal((await t.api.get('/metrics')).status, 401);
    assert.equal((await t.api.get('/metrics', { token: 'wrong' })).status, 401);
  });

  it('reports latency by route pattern, passcodes, the outbox backlog and queue length per center', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    const resident = await signIn(t.api);
    await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token: resident.token });
    const scraped = await t.api.get('/metrics', { token: 'scrape-me' });
    assert.equal(scraped.status, 200);
    const text = scraped.text;
    assert.match(text, /civic_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/appointments"[^}]*status="201"/);
    assert.doesNotMatch(text, /route="\/api\/v1\/appointments\/[0-9a-f-]{36}/, 'no concrete ids in labels');
    assert.match(text, /civic_passcodes_total\{purpose="login",event="sent"\} 1/);
    assert.match(text, /civic_passcodes_total\{purpose="login",event="accepted"\} 1/);
    assert.match(text, /civic_outbox_backlog\{state="(pending|failed)"\} \d+/);
    assert.match(text, new RegExp(`civic_queue_length\\{center="${center.code}"\\} 0`));
    assert.ok(!text.includes(resident.phone) && !text.includes(resident.idNumber));
  });
});
