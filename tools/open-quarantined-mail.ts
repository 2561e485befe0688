/**
 * Opens one quarantined mail for an operator: the email gateway sealed it to the router's intake
 * key into the object store bucket `email_quarantine`, and its dead letter names the object.
 *
 *   ROUTER_INTAKE_PRIVATE_KEYS=<kid>:<key>,… NATS_URL=nats://… [NATS_USER/NATS_PASS] \
 *     node -r @swc-node/register tools/open-quarantined-mail.ts mail-<sha256> > mail.eml
 *
 * Writes the raw mail to stdout (it is the customer's: keep it on the operator's machine only).
 * Exit 0: written; 1: no such object or it does not open; 2: bad arguments or configuration.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { BusModule, NatsConnection, ObjectStoreClient } from '@omnigate/bus';
import { SealedObjectBuckets, SealedObjectV1Schema, quarantinedMailAad } from '@omnigate/contracts';
import { HpkeOpener } from '@omnigate/crypto';
import { CommonEnv, KitModule, busOptionsFrom, parseConfig } from '@omnigate/kit';

const Env = CommonEnv.extend({ ROUTER_INTAKE_PRIVATE_KEYS: z.string().min(1) });
const DAY_MS = 86_400_000;

async function main(): Promise<number> {
  const object = process.argv[2] ?? '';
  if (!/^mail-[0-9a-f]{64}$/.test(object)) {
    process.stderr.write('usage: open-quarantined-mail.ts mail-<sha256> (from the dead letter)\n');
    return 2;
  }
  const env = parseConfig(Env, process.env);
  const opener = HpkeOpener.fromConfig(
    env.ROUTER_INTAKE_PRIVATE_KEYS,
    'ROUTER_INTAKE_PRIVATE_KEYS',
  );
  @Module({
    imports: [
      KitModule,
      BusModule.forRoot({ ...busOptionsFrom(env, 'quarantine-reader'), declareStreams: false }),
    ],
  })
  class ReaderModule {}
  const app = await NestFactory.createApplicationContext(ReaderModule, { logger: ['error'] });
  try {
    const objects = new ObjectStoreClient(app.get(NatsConnection));
    const bucket = await objects.bucket(SealedObjectBuckets.emailQuarantine, 30 * DAY_MS);
    const raw = await bucket.get(object);
    if (!raw) {
      process.stderr.write(`no object ${object} (aged out after EMAIL_QUARANTINE_MAX_AGE_MS?)\n`);
      return 1;
    }
    const box = SealedObjectV1Schema.parse(JSON.parse(raw.toString('utf8')));
    process.stdout.write(await opener.open(box, quarantinedMailAad(object)));
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof Error && 'code' in e && e.code === 'CONFIG.INVALID' ? 2 : 1);
  },
);
