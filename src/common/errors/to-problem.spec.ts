import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { toProblem } from './to-problem';

describe('problem documents', () => {
  it('turns a domain error into its status, code, extensions and Retry-After', () => {
    const problem = toProblem(new DomainError('too_many_requests', { retryAfter: 12.2, extensions: { limit: 5 } }), 'req-1');
    assert.equal(problem.status, 429);
    assert.deepEqual(problem.headers, { 'retry-after': '13' });
    assert.equal(problem.body.code, 'too_many_requests');
    assert.equal(problem.body.limit, 5);
    assert.equal(problem.body.requestId, 'req-1');
    assert.deepEqual(Object.keys(problem.body).slice(0, 5), ['type', 'title', 'status', 'detail', 'code']);
    assert.equal(problem.unexpected, false);
  });

  it('hides everything about an unexpected error but the request id', () => {
    const problem = toProblem(new Error('connection string postgres://secret@db leaked'), 'req-2');
    assert.equal(problem.status, 500);
    assert.equal(problem.body.code, 'internal_error');
    assert.ok(!JSON.stringify(problem.body).includes('secret'));
    assert.equal(problem.body.requestId, 'req-2');
    assert.equal(problem.unexpected, true);
  });

  it('maps Fastify body errors wrapped by Nest to 400/413/415 codes', () => {
    const wrap = (code: string, status: number) => new HttpException('x', status, { cause: Object.assign(new Error('x'), { code, statusCode: status }) });
    assert.equal(toProblem(wrap('FST_ERR_CTP_INVALID_JSON_BODY', 400), 'r').body.code, 'malformed_json');
    assert.equal(toProblem(wrap('FST_ERR_CTP_BODY_TOO_LARGE', 413), 'r').body.code, 'payload_too_large');
    assert.equal(toProblem(wrap('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 'r').body.code, 'unsupported_media_type');
    assert.equal(toProblem(new NotFoundException(), 'r').body.code, 'not_found');
    assert.equal(toProblem(new BadRequestException(), 'r').body.code, 'validation_failed');
  });

  it('answers 503 database_unavailable when PostgreSQL cannot be reached', () => {
    const refused = new QueryFailedError('SELECT 1', [], Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const problem = toProblem(refused, 'r');
    assert.equal(problem.status, 503);
    assert.equal(problem.body.code, 'database_unavailable');
    const noSocket = Object.assign(new Error('connect ENOENT /tmp/x/postgres/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' });
    assert.equal(toProblem(noSocket, 'r').status, 503, 'the socket of a stopped server is gone');
    assert.equal(toProblem(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }), 'r').status, 503, 'a server shutting down closed the socket');
    assert.equal(toProblem(Object.assign(new Error('no such file'), { code: 'ENOENT', syscall: 'open' }), 'r').status, 500, 'a missing file is no outage');
  });
});
