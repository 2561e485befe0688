/** Where the console reads the time: a port so tests can move past a session's expiry. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
