import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { connect } from 'nats';
import { z } from 'zod';
import { defineStream } from '@omnigate/contracts';
import { KitModule, startHttpApp } from '@omnigate/kit';
import type { RunningHttpApp } from '@omnigate/kit';
import { pollUntil, startNatsServer } from '@omnigate/testing';
import type { TestNatsServer } from '@omnigate/testing';
import {
  ALL_STREAMS,
  BusModule,
  BusPublisher,
  NatsConnection,
  OnStream,
  busTransport,
  ensureStreams,
} from '@omnigate/bus';

/**
 * An app that starts before its streams exist (a gateway: `streamsInBackground`), on a real
 * nats-server where its user may not create streams: its `@OnStream` handlers start once the
 * streams' owner created them, without holding up its start, and it stops at once while waiting.
 */
const Job = z.object({ id: z.string() });
const JOBS = defineStream({ subject: 'msg.out.v1.sms', stream: 'MSG_OUT', schema: Job });

/** The app's user: everything but creating or changing streams (the owner's right). */
const USERS = `
authorization {
  users = [
    {
      user: "edge"
      password: "edge-pass"
      permissions {
        publish {
          allow: [">"]
          deny: ["$JS.API.STREAM.CREATE.>", "$JS.API.STREAM.UPDATE.>"]
        }
        subscribe {
          allow: [">"]
        }
      }
    }
    {
      user: "owner"
      password: "owner-pass"
    }
  ]
}
`;

class Seen {
  ids: string[] = [];
}

@Controller()
class EdgeHandlers {
  constructor(private readonly seen: Seen) {}

  @OnStream(JOBS, { durable: 'edge-jobs' })
  job(j: z.infer<typeof Job>): void {
    this.seen.ids.push(j.id);
  }
}

function edgeModule(url: string) {
  @Module({
    imports: [
      KitModule,
      BusModule.forRoot({
        url,
        name: 'edge',
        user: 'edge',
        pass: 'edge-pass',
        streamsInBackground: true,
        shutdownGraceMs: 20_000,
      }),
    ],
    controllers: [EdgeHandlers],
    providers: [Seen],
  })
  class EdgeModule {}
  return EdgeModule;
}

describe('BusTransport in an app that starts before its streams', () => {
  let nats: TestNatsServer;
  const start = (): Promise<RunningHttpApp> =>
    startHttpApp(edgeModule(nats.url), {
      name: 'edge',
      port: 0,
      logLevel: 'warn',
      transport: busTransport({ queue: 'edge' }),
    });

  beforeAll(async () => {
    nats = await startNatsServer({ extraConfig: USERS });
  });
  afterAll(async () => {
    await nats?.dispose();
  });

  it('stops at once while it still waits for the streams (no grace period spent)', async () => {
    const app = await start();
    expect(app.app.get(NatsConnection).streamsReady()).toBe(false);
    const t0 = Date.now();
    await app.close();
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('starts without them, then consumes what waited on the stream once the owner created it', async () => {
    const app = await start();
    try {
      const conn = app.app.get(NatsConnection);
      expect(conn.streamsReady()).toBe(false);
      // The owner comes up, creates the streams, and a message is published before the consumer.
      const owner = await connect({ servers: nats.url, user: 'owner', pass: 'owner-pass' });
      try {
        await ensureStreams(await owner.jetstreamManager(), ALL_STREAMS);
        await owner.jetstream().publish(JOBS.subject, Buffer.from(JSON.stringify({ id: 'first' })));
      } finally {
        await owner.close();
      }
      await pollUntil(() => conn.streamsReady(), { what: 'the streams seen by the app' });
      const id = randomUUID();
      await app.app.get(BusPublisher).publish(JOBS.subject, Job, { id }, { msgId: id });
      const seen = app.app.get(Seen);
      await pollUntil(() => seen.ids.includes(id), { what: 'the job consumed' });
      expect(seen.ids).toEqual(['first', id]);
    } finally {
      await app.close();
    }
  });
});
