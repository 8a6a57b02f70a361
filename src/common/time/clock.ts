import { Injectable } from '@nestjs/common';

/** The time source of the app; tests swap it to move time without sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
