import { Logger } from 'pino';
import { BindingCheck, BindingVerifier, VerificationOutcome } from './binding-verifier';
import { VerifierDailyBudget } from './verifier-daily-budget';

/** A provider behind our daily budget: past it, `rate_limited` without a call (and without a cost). */
export class BudgetedVerifier implements BindingVerifier {
  readonly source: string;

  constructor(
    private readonly provider: BindingVerifier,
    private readonly budget: VerifierDailyBudget,
    private readonly logger: Logger,
  ) {
    this.source = provider.source;
  }

  async verify(check: BindingCheck): Promise<VerificationOutcome> {
    let allowed: boolean;
    try {
      allowed = await this.budget.take();
    } catch (error) {
      this.logger.warn({ verifier: this.source, err: error }, 'binding verifier budget unreadable: unavailable');
      return 'unavailable';
    }
    if (allowed) return this.provider.verify(check);
    this.logger.warn({ verifier: this.source, outcome: 'rate_limited', reason: 'VERIFIER_DAILY_LIMIT' }, 'binding verifier rate_limited: our daily budget is used up');
    return 'rate_limited';
  }
}
