import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictOfAnswer, verdictOfFailure } from './aliyun-answers';

describe("cloudauth's answers", () => {
  it('reads BizCode only from a successful answer (Code 200)', () => {
    const answer = (code: string, bizCode?: string) => verdictOfAnswer({ code, requestId: 'R', resultObject: { bizCode } }).outcome;
    assert.deepEqual(['1', '2', '3'].map((bizCode) => answer('200', bizCode)), ['match', 'mismatch', 'no_record']);
    assert.equal(answer('200', '4'), 'unavailable');
    assert.equal(answer('200'), 'unavailable');
    assert.equal(answer('400', '1'), 'unavailable', 'a BizCode under a failed Code is not believed');
    assert.equal(verdictOfAnswer(undefined).outcome, 'unavailable');
  });

  it('every Throttling code, the provider limits and HTTP 429 are rate_limited; all else, auth failures too, is unavailable', () => {
    const failure = (code: unknown, statusCode?: number) => verdictOfFailure(Object.assign(new Error('code: 400, quoting 张三 request id: R'), { code, statusCode })).outcome;
    for (const code of ['Throttling', 'Throttling.User', 'Throttling.Api', 'BUSINESS_LIMIT_CONTROL', 'FREQUENCY_FAIL', 'Forbidden.ExceptionRepeatedInvoke']) assert.equal(failure(code, 400), 'rate_limited', code);
    assert.equal(failure(undefined, 429), 'rate_limited');
    for (const code of ['SignatureDoesNotMatch', 'InvalidAccessKeyId.NotFound', 'Forbidden.AccountAccessDenied', 'InternalError', 'ServiceUnavailable', 'ECONNRESET']) assert.equal(failure(code, 403), 'unavailable', code);
    assert.equal(verdictOfFailure(undefined).outcome, 'unavailable');
  });

  it('says why by code and status, never by the message, which may quote what was sent', () => {
    const verdict = verdictOfFailure(Object.assign(new Error('The specified UserName 张三 is invalid'), { code: 'InvalidParameter', statusCode: 400, requestId: 'R1' }));
    assert.deepEqual(verdict, { outcome: 'unavailable', reason: 'InvalidParameter', status: 400, requestId: 'R1' });
  });
});
