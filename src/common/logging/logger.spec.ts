import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { createLogger, scrub } from './logger';

describe('log redaction', () => {
  it('scrubs ID numbers, mobile numbers and passcodes from free text', () => {
    assert.equal(scrub('id 52010219900101123X phone +8613812345678 code 123456 ok'), 'id [redacted] phone [redacted] code [redacted] ok');
  });

  it('redacts secret fields wherever they appear in a log object', () => {
    let output = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ level: 'info', pretty: false, destination });
    logger.info({ idNumber: '52010219900101123X', body: { phone: '13812345678', code: '654321', token: 'secret-token' } }, 'sign-in for 52010219900101123X');
    assert.ok(output.includes('[redacted]'));
    for (const secret of ['52010219900101123X', '13812345678', '654321', 'secret-token']) assert.ok(!output.includes(secret), secret);
  });
});
