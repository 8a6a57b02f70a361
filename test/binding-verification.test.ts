import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { AliyunMobile3Verifier } from '../src/binding-verification/aliyun-mobile3.verifier';
import { BINDING_VERIFIER, BindingCheck, BindingVerifier } from '../src/binding-verification/binding-verifier';
import { BudgetedVerifier } from '../src/binding-verification/budgeted-verifier';
import { VerifierDailyBudget } from '../src/binding-verification/verifier-daily-budget';
import { createLogger } from '../src/common/logging/logger';
import { Clock } from '../src/common/time/clock';
import { dataSourceOptions } from '../src/database/data-source-options';
import { sha256Hex } from './support/acs3-signature';
import { CloudauthStandIn } from './support/cloudauth-stand-in';
import { cloneDatabase } from './support/database';
import { newIdNumber, newPhone } from './support/identities';
import { LogCapture } from './support/log-capture';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const GIVEN_NAMES = '明华伟芳秀英建国玉兰志强海燕桂珍淑珍国强丽娟晓东';
const SURNAMES = '王李张刘陈杨黄赵周吴';
const TIMEOUT_MS = 400;

/** A freshly made person: a name, a valid ID number and a mobile phone in E.164. */
function newPerson(people: BindingCheck[]): BindingCheck {
  const pick = (from: string): string => from[randomInt(from.length)]!;
  const person = { name: `${pick(SURNAMES)}${pick(GIVEN_NAMES)}${pick(GIVEN_NAMES)}${pick(GIVEN_NAMES)}`, idNumber: newIdNumber(), phone: `+86${newPhone()}` };
  people.push(person);
  return person;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends a request again as it was, or changed, and says which error code the provider answered. */
function resend(endpoint: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<string> {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'connection' && name !== 'transfer-encoding'));
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, endpoint), { method: 'POST', headers: { ...kept, 'content-length': body.length } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve(String((JSON.parse(text) as { Code: string }).Code)));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('the carrier check: Aliyun cloudauth Mobile3MetaDetailVerify against a stand-in provider', () => {
  const keys = { accessKeyId: 'LTAI5tStandInKey', accessKeySecret: randomBytes(24).toString('base64') };
  const standIn = new CloudauthStandIn(keys);
  const log = new LogCapture();
  const logger = createLogger({ level: 'info', pretty: false, destination: log });
  const people: BindingCheck[] = [];
  // 23:59 in Beijing on 1 March: two minutes on, the provider's day (and our budget's) is a new one.
  const budgetClock = new TestClock(new Date('2026-03-01T15:59:00Z'));
  let endpoint: string;
  let database: { url: string; drop: () => Promise<void> };
  let app: TestApp;
  let budgetApps: TestApp[];
  let verifier: BindingVerifier;

  before(async () => {
    endpoint = await standIn.start();
    database = await cloneDatabase();
    const env = {
      VERIFIER: 'aliyun',
      VERIFIER_ACCESS_KEY_ID: keys.accessKeyId,
      VERIFIER_ACCESS_KEY_SECRET: keys.accessKeySecret,
      VERIFIER_ENDPOINT: endpoint,
      VERIFIER_TIMEOUT_MS: String(TIMEOUT_MS),
    };
    app = await startTestApp({ databaseUrl: database.url, env, logLevel: 'info', logDestination: log });
    const budgetEnv = { ...env, VERIFIER_DAILY_LIMIT: '3' };
    budgetApps = [
      await startTestApp({ databaseUrl: database.url, env: budgetEnv, clock: budgetClock, logLevel: 'info', logDestination: log }),
      await startTestApp({ databaseUrl: database.url, env: budgetEnv, clock: budgetClock, logLevel: 'info', logDestination: log }),
    ];
    verifier = app.app.get<BindingVerifier>(BINDING_VERIFIER);
  });
  after(async () => {
    for (const each of [app, ...budgetApps]) await each?.close();
    await database.drop();
    await standIn.stop();
  });

  it('answers match, mismatch and no record for BizCode 1, 2 and 3, having sent the name, ID number and national phone, signed', async () => {
    assert.equal(verifier.source, 'aliyun');
    for (const [answer, outcome] of [['match', 'match'], ['mismatch', 'mismatch'], ['no_record', 'no_record']] as const) {
      standIn.answer = answer;
      const person = newPerson(people);
      assert.equal(await verifier.verify(person), outcome, answer);
      assert.deepEqual(standIn.calls.at(-1), { ParamType: 'normal', UserName: person.name, IdentifyNum: person.idNumber, Mobile: person.phone.slice(3) });
    }
    assert.deepEqual(standIn.refusals, [], 'every signature was accepted');
  });

  it('a request signed with the wrong secret is refused by the provider (SignatureDoesNotMatch): unavailable, never thrown', async () => {
    standIn.answer = 'match';
    const impostor = new AliyunMobile3Verifier({ ...app.config.verifier, accessKeySecret: randomBytes(24).toString('base64') }, logger);
    const calls = standIn.calls.length;
    assert.equal(await impostor.verify(newPerson(people)), 'unavailable');
    assert.deepEqual(standIn.refusals, ['SignatureDoesNotMatch']);
    assert.equal(standIn.calls.length, calls, 'the stand-in answered nothing to it');
    assert.equal(await verifier.verify(newPerson(people)), 'match', 'the right secret still passes');
  });

  it('the stand-in signs off nothing but the request as signed: a replay, another nonce or another name is refused', async () => {
    standIn.answer = 'match';
    assert.equal(await verifier.verify(newPerson(people)), 'match');
    const { url, headers, body } = standIn.lastSigned!;
    assert.equal(await resend(endpoint, url, headers, body), 'SignatureNonceUsed');
    assert.equal(await resend(endpoint, url, { ...headers, 'x-acs-signature-nonce': randomBytes(16).toString('hex') }, body), 'SignatureDoesNotMatch');
    const otherName = Buffer.from(body.toString().replace(/UserName=[^&]*/, `UserName=${encodeURIComponent('李四')}`));
    assert.equal(await resend(endpoint, url, headers, otherName), 'SignatureDoesNotMatch');
    assert.equal(await resend(endpoint, url, { ...headers, 'x-acs-content-sha256': sha256Hex(otherName) }, otherName), 'SignatureDoesNotMatch');
  });

  it('no answer within VERIFIER_TIMEOUT_MS is unavailable within the timeout, and a later call is answered', async () => {
    standIn.answer = 'slow';
    const started = performance.now();
    assert.equal(await verifier.verify(newPerson(people)), 'unavailable');
    const waited = performance.now() - started;
    assert.ok(waited >= TIMEOUT_MS - 20 && waited < TIMEOUT_MS + 400, `waited ${Math.round(waited)} ms for a ${TIMEOUT_MS} ms timeout`);
    standIn.answer = 'match';
    assert.equal(await verifier.verify(newPerson(people)), 'match');
  });

  it("the provider's throttling (400 Throttling.User, 503 Throttling) and its daily limit are rate_limited", async () => {
    for (const answer of ['throttled_user', 'throttled_service', 'daily_limit'] as const) {
      standIn.answer = answer;
      assert.equal(await verifier.verify(newPerson(people)), 'rate_limited', answer);
    }
  });

  it('a 500, a 502 page, an unknown BizCode, an error quoting the request and a provider that is not there are unavailable', async () => {
    for (const answer of ['server_error', 'bad_gateway', 'unknown_biz_code', 'echoing_error'] as const) {
      standIn.answer = answer;
      assert.equal(await verifier.verify(newPerson(people)), 'unavailable', answer);
    }
    const gone = new AliyunMobile3Verifier({ ...app.config.verifier, endpoint: new URL(`http://127.0.0.1:${await closedPort()}`) }, logger);
    assert.equal(await gone.verify(newPerson(people)), 'unavailable');
  });

  it('our own VERIFIER_DAILY_LIMIT holds across two instances: past it rate_limited without a call, and the next Beijing day calls again', async () => {
    standIn.answer = 'match';
    const [first, second] = budgetApps.map((each) => each.app.get<BindingVerifier>(BINDING_VERIFIER));
    const calls = standIn.calls.length;
    const outcomes = await Promise.all([first!, second!, first!, second!, first!, second!].map((each) => each.verify(newPerson(people))));
    assert.deepEqual(outcomes.filter((o) => o === 'match').length, 3, outcomes.join());
    assert.deepEqual(outcomes.filter((o) => o === 'rate_limited').length, 3, outcomes.join());
    assert.equal(standIn.calls.length, calls + 3, 'the provider was called 3 times, no more');
    assert.equal(await second!.verify(newPerson(people)), 'rate_limited');
    assert.equal(standIn.calls.length, calls + 3);
    const [today] = await app.dataSource.query(`SELECT calls FROM verifier_daily_usage WHERE day = '2026-03-01'`);
    assert.equal(today.calls, 3);

    budgetClock.advance(2 * 60_000);
    assert.equal(await first!.verify(newPerson(people)), 'match', 'a new day, a new budget');
    assert.equal(standIn.calls.length, calls + 4);
  });

  it('our budget unreadable (its database gone): unavailable, and no call', async () => {
    const gone = new DataSource(dataSourceOptions(database.url, 1));
    const budgeted = new BudgetedVerifier(new AliyunMobile3Verifier(app.config.verifier, logger), new VerifierDailyBudget(gone, new Clock(), 1000), logger);
    const calls = standIn.calls.length;
    assert.equal(await budgeted.verify(newPerson(people)), 'unavailable');
    assert.equal(standIn.calls.length, calls);
  });

  it('VERIFIER=none provides no verifier: every phone stays a claim', async () => {
    const none = await startTestApp({ databaseUrl: database.url });
    try {
      assert.equal(none.app.get(BINDING_VERIFIER), null);
    } finally {
      await none.close();
    }
  });

  it('no name, ID number or phone in any table or log line', async () => {
    assert.ok(people.length >= 20, `${people.length} people were checked`);
    const tables = (await app.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)) as Array<{ table_name: string }>;
    const rows: string[] = [];
    for (const { table_name } of tables) {
      for (const { row } of (await app.dataSource.query(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`)) as Array<{ row: string }>) rows.push(row);
    }
    assert.ok(rows.some((row) => row.includes('"calls":')), 'the budget was written');
    const lines = log.text.split('\n').filter(Boolean);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not a JSON log line: ${line}`);
    for (const reason of ['SignatureDoesNotMatch', 'VerifierTimeout', 'Throttling.User', 'BUSINESS_LIMIT_CONTROL', 'InternalError', 'InvalidParameter', 'ECONNREFUSED', 'VERIFIER_DAILY_LIMIT', 'budget unreadable']) {
      assert.ok(lines.some((line) => line.includes(reason)), `no log line names ${reason}`);
    }
    for (const person of people) {
      const national = person.phone.slice(3);
      for (const secret of [person.name, encodeURIComponent(person.name), person.idNumber, person.idNumber.slice(0, 17), national, person.phone]) {
        assert.ok(!rows.some((row) => row.includes(secret)), `a table holds ${secret}`);
        assert.ok(!lines.some((line) => line.includes(secret)), `a log line holds ${secret}`);
      }
    }
    assert.ok(!log.text.includes(keys.accessKeySecret), 'the access key secret is logged');
  });
});
