import { Clock } from '../../src/common/time/clock';

/** A clock the test moves by hand; it does not move by itself unless told to follow real time. */
export class TestClock extends Clock {
  private offsetMs = 0;

  constructor(private fixed?: Date) {
    super();
  }

  override now(): Date {
    return this.fixed ? new Date(this.fixed.getTime() + this.offsetMs) : new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(instant: Date): void {
    this.fixed = instant;
    this.offsetMs = 0;
  }
}
