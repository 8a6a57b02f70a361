import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { OutboxWorker } from '../src/notifications/outbox-worker.service';
import { cloneDatabase } from './support/database';
import { newIdNumber, newPhone } from './support/identities';
import { staffLogin } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const SIGNING_SECRET = 'test-signing-secret';

/** A stand-in SMS provider: up or down at will, checks our signature, records what it got. */
class FakeSmsProvider {
  up = false;
  readonly received: Array<{ id: string; to: string; text: string }> = [];
  badSignatures = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void read(request).then((body) => {
        const timestamp = String(request.headers['x-civic-timestamp']);
        const expected = `sha256=${createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
        if (request.headers['x-civic-signature'] !== expected || request.headers.authorization !== 'Bearer provider-key') this.badSignatures += 1;
        if (!this.up) return void response.writeHead(503).end();
        this.received.push(JSON.parse(body) as { id: string; to: string; text: string });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/sms`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

function read(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });
}

describe('the transactional outbox', () => {
  const clock = new TestClock();
  const provider = new FakeSmsProvider();
  const mails: Array<{ to: string; body: string }> = [];
  let smtp: SMTPServer;
  let database: { url: string; drop: () => Promise<void> };
  let apps: TestApp[];

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, done) {
        let body = '';
        stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    database = await cloneDatabase();
    const env = {
      APP_SECRET: randomBytes(32).toString('base64'),
      DATA_KEY: `k1:${randomBytes(32).toString('base64')}`,
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: await provider.start(),
      SMS_HTTP_SECRET: SIGNING_SECRET,
      SMS_HTTP_AUTHORIZATION: 'Bearer provider-key',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
      OPS_EMAIL: 'ops@civic-desk.invalid',
      OUTBOX_WORKER: 'false',
      OUTBOX_MAX_ATTEMPTS: '3',
    };
    apps = [await startTestApp({ databaseUrl: database.url, env, clock }), await startTestApp({ databaseUrl: database.url, env, clock })];
  });
  after(async () => {
    for (const app of apps) await app.close();
    await database.drop();
    await provider.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const requestCodes = async (count: number): Promise<string[]> => {
    const phones = Array.from({ length: count }, () => newPhone());
    for (const phone of phones) assert.equal((await apps[0]!.api.post('/api/v1/auth/otp', { idNumber: newIdNumber(), phone })).status, 202);
    return phones;
  };

  it('keeps messages while the gateway is down and sends each once when it is back, signed', async () => {
    provider.up = false;
    await requestCodes(5);
    const down = await apps[0]!.app.get(OutboxWorker).deliverDue();
    assert.deepEqual(down, { sent: 0, retried: 5, parked: 0 });
    provider.up = true;
    assert.deepEqual(await apps[0]!.app.get(OutboxWorker).deliverDue(), { sent: 0, retried: 0, parked: 0 }, 'nothing is due before the backoff');
    clock.advance(10_000);
    const back = await apps[0]!.app.get(OutboxWorker).deliverDue();
    assert.equal(back.sent, 5);
    assert.equal(provider.received.length, 5);
    assert.equal(new Set(provider.received.map((m) => m.id)).size, 5);
    assert.equal(provider.badSignatures, 0);
    assert.ok(provider.received.every((m) => /^\+86\d{11}$/.test(m.to) && /\d{6}/.test(m.text)));
  });

  it('two workers on two instances never send one message twice', async () => {
    provider.received.length = 0;
    await requestCodes(40);
    const rounds = await Promise.all(apps.map((app) => app.app.get(OutboxWorker).deliverDue()));
    assert.equal(rounds[0]!.sent + rounds[1]!.sent, 40);
    assert.equal(provider.received.length, 40);
    assert.equal(new Set(provider.received.map((m) => m.id)).size, 40);
  });

  it('parks a message after the last try, tells operations by email, and admins can see it', async () => {
    provider.up = false;
    provider.received.length = 0;
    await requestCodes(1);
    const worker = apps[0]!.app.get(OutboxWorker);
    for (let i = 0; i < 3; i++) {
      await worker.deliverDue();
      clock.advance(60_000);
    }
    const [parked] = await apps[0]!.dataSource.query(`SELECT attempts, failed_at, last_error FROM outbox_message WHERE channel = 'sms' AND failed_at IS NOT NULL`);
    assert.equal(parked.attempts, 3);
    assert.match(parked.last_error, /503/);
    await worker.deliverDue();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'ops@civic-desk.invalid');
    assert.match(mails[0]!.body, /ops|parked|暂停/i);
    assert.doesNotMatch(mails[0]!.body, /\+86\d{11}/, 'no phone number in the ops email');
    const admin = await staffLogin(apps[0]!, { role: 'admin', clock });
    const listed = await apps[0]!.api.get('/api/v1/admin/outbox?status=failed', { token: admin.token });
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.body.length, 1);
    assert.match(listed.body[0].recipient, /^1\d\d\*{4}\d{4}$/);
    assert.equal(listed.body[0].template, 'otp-login');
    assert.ok(!JSON.stringify(listed.body).includes('text'));
  });
});
