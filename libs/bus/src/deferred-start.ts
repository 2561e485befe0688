import { Logger } from '@nestjs/common';
import type { NatsConnection } from './nats-connection';

const RETRY_MS = 2000;
const logger = new Logger('bus-transport');

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Starts a consumer of an app that comes up before its streams (a gateway, `streamsInBackground`):
 * without holding up the app's start, once the streams exist, and again after a failed start
 * (NATS down, the consumer refused): the messages wait on the stream meanwhile. `stop()` ends the
 * wait at once (it never waits for streams that may never come) or stops the running consumer.
 */
export function startWhenStreamsExist(
  conn: NatsConnection,
  start: () => Promise<Stoppable>,
  what: string,
): Stoppable {
  let stopped = false;
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      void stopping.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const running = (async (): Promise<Stoppable | null> => {
    const ready = await Promise.race([
      conn.whenStreamsReady().then(
        () => true,
        () => false, // the app stopped before the streams existed
      ),
      stopping.then(() => false),
    ]);
    while (ready && !stopped) {
      try {
        return await start();
      } catch (e) {
        logger.warn({
          msg: 'consumer not started yet, trying again',
          consumer: what,
          code: (e as { code?: string }).code,
        });
        await pause(RETRY_MS);
      }
    }
    return null;
  })();

  return {
    stop: async () => {
      stopped = true;
      wake();
      await (await running)?.stop();
    },
  };
}
