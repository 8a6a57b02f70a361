import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Clock } from '../common/time/clock';

/** The provider counts and bills by the day in mainland China, whatever center asked. */
const BUDGET_TIMEZONE = 'Asia/Shanghai';

/**
 * Our own cap on provider calls per local day, shared by every instance: one row per day in
 * PostgreSQL, taken by a single conditional upsert, so two instances cannot both take the last.
 */
export class VerifierDailyBudget {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly dailyLimit: number,
  ) {}

  /** Counts one call and says true, or says false once today's calls reached the limit. */
  async take(): Promise<boolean> {
    const day = DateTime.fromJSDate(this.clock.now(), { zone: BUDGET_TIMEZONE }).toISODate();
    const taken = (await this.dataSource.query(
      `INSERT INTO verifier_daily_usage (day, calls) VALUES ($1, 1)
       ON CONFLICT (day) DO UPDATE SET calls = verifier_daily_usage.calls + 1 WHERE verifier_daily_usage.calls < $2
       RETURNING calls`,
      [day, this.dailyLimit],
    )) as unknown[];
    return taken.length > 0;
  }
}
