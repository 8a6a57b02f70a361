import Cloudauth, { Mobile3MetaDetailVerifyRequest } from '@alicloud/cloudauth20190307';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Logger } from 'pino';
import { VerifierConfig } from '../config/app-config';
import { verdictOfAnswer, verdictOfFailure, Verdict } from './aliyun-answers';
import { BindingCheck, BindingVerifier, VerificationOutcome } from './binding-verifier';

class VerifierTimeout extends Error {
  override readonly name = 'VerifierTimeout';
}

/**
 * Aliyun cloudauth's detailed three-factor check (`Mobile3MetaDetailVerify`, API 2019-03-07)
 * through the official SDK, which signs each request (ACS3-HMAC-SHA256). One try per call: a
 * retry is the caller's, at the resident's next sign-in.
 */
export class AliyunMobile3Verifier implements BindingVerifier {
  readonly source = 'aliyun';
  private readonly client: Cloudauth;

  constructor(
    private readonly config: VerifierConfig,
    private readonly logger: Logger,
  ) {
    this.client = new Cloudauth(
      new $OpenApiUtil.Config({
        accessKeyId: config.accessKeyId,
        accessKeySecret: config.accessKeySecret,
        endpoint: config.endpoint.host,
        protocol: config.endpoint.protocol.replace(':', ''),
        connectTimeout: config.timeoutMs,
        readTimeout: config.timeoutMs,
      }),
    );
  }

  async verify(check: BindingCheck): Promise<VerificationOutcome> {
    const verdict = await this.ask(check);
    if (verdict.outcome === 'unavailable' || verdict.outcome === 'rate_limited') {
      const { reason, status, requestId } = verdict;
      this.logger.warn({ verifier: this.source, outcome: verdict.outcome, reason, status, requestId }, `binding verifier ${verdict.outcome}: ${reason}`);
    }
    return verdict.outcome;
  }

  private async ask(check: BindingCheck): Promise<Verdict> {
    try {
      const request = new Mobile3MetaDetailVerifyRequest({
        paramType: 'normal',
        userName: check.name,
        identifyNum: check.idNumber,
        mobile: parsePhoneNumberFromString(check.phone)?.nationalNumber ?? check.phone,
      });
      const response = await withDeadline(this.client.mobile3MetaDetailVerify(request), this.config.timeoutMs);
      return verdictOfAnswer(response.body);
    } catch (error) {
      return verdictOfFailure(error);
    }
  }
}

/** The SDK's socket timeouts bound each phase; this bounds the whole call, whatever hangs. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VerifierTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
