import { Logger } from 'pino';

/**
 * A background job on a timer that never keeps the process alive and never lets a failure
 * escape: it is logged and the next tick tries again. The work itself must be safe to run
 * on several instances at once (each job says how).
 */
export class PeriodicJob {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly work: () => Promise<unknown>,
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.runSafely(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Runs once now; a non-empty result (a count above 0, a report) is logged. */
  async runSafely(): Promise<void> {
    try {
      const result = await this.work();
      if ((typeof result === 'number' && result > 0) || (typeof result === 'object' && result !== null)) this.logger.info({ result }, this.name);
    } catch (error) {
      this.logger.error({ err: error }, `${this.name} failed`);
    }
  }
}
