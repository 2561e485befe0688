import { createHash, randomUUID } from 'node:crypto';
import { NatsConnection, ObjectStoreClient } from '@omnigate/bus';
import type { ObjectBucket } from '@omnigate/bus';
import {
  SEALED_OBJECT_V1,
  SealedObjectBuckets,
  sealedAttachmentAad,
  sealedObjectRef,
} from '@omnigate/contracts';
import type { AttachmentRef, InboundMessageV1 } from '@omnigate/contracts';
import { HpkeSealer, generateHpkeKeyPair } from '@omnigate/crypto';
import { EmailAttachmentsRepository } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
import { createdFor, inbound, startRouterSystem } from './router.harness';
import type { RouterSystem } from './router.harness';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20)]);
const GIULIA = 'giulia.rossi@example.it';
const mailId = () => `<${randomUUID()}@mail.example.it>`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('router: email attachments sealed at the edge are taken in', () => {
  let sys: RouterSystem;
  let keys: { publicKey: string; privateKey: string };
  let bucket: ObjectBucket;

  beforeAll(async () => {
    keys = await generateHpkeKeyPair('intake-r1');
    sys = await startRouterSystem({
      ROUTER_INTAKE_PRIVATE_KEYS: keys.privateKey,
      ROUTER_BOT_ENABLED: 'false',
    });
    bucket = await new ObjectStoreClient(sys.bus.get(NatsConnection)).bucket(
      SealedObjectBuckets.emailAttachments,
      60_000,
    );
  });
  afterAll(async () => {
    await sys?.close();
  });

  /** What the email gateway does: seal to the router's public key, bound to the mail and ref. */
  async function seal(
    providerMessageId: string,
    content: Buffer,
    mimeType = 'application/pdf',
  ): Promise<{ id: string; raw: Buffer; ref: AttachmentRef }> {
    const id = randomUUID();
    const ref = sealedObjectRef(id);
    const box = await HpkeSealer.fromConfig(keys.publicKey).seal(
      new Uint8Array(content),
      sealedAttachmentAad(providerMessageId, ref),
    );
    const raw = Buffer.from(JSON.stringify({ type: SEALED_OBJECT_V1, version: 1, ...box }));
    await bucket.put(id, raw);
    return {
      id,
      raw,
      ref: { kind: 'document', mimeType, size: content.length, sha256: sha(content), ref },
    };
  }

  const mail = (
    providerMessageId: string,
    text: string,
    attachments: AttachmentRef[],
    meta?: Record<string, string>,
  ): InboundMessageV1 =>
    inbound({
      channel: 'email',
      providerMessageId,
      from: { address: GIULIA },
      to: { address: 'support@bank.example' },
      text,
      attachments,
      ...(meta ? { meta } : {}),
    });

  it('stores each attachment and the original text as the console reads them, then deletes the objects', async () => {
    const id = mailId();
    const pdf = await seal(id, PDF);
    const originalText = Buffer.from('Sì, ero io.\n\n> Ha pagato lei?');
    const original = await seal(id, originalText, 'text/plain');
    await sys.sendInbound(
      mail(id, 'Vi allego l’estratto', [{ ...pdf.ref, filename: 'estratto.pdf' }], {
        originalRef: original.ref.ref,
      }),
    );
    const created = await pollUntil(() => createdFor(sys.events, 'Vi allego l’estratto')[0], {
      what: 'the mail stored',
    });
    expect(created.message.attachments).toEqual([
      { ...pdf.ref, ref: `att:${pdf.id}`, filename: 'estratto.pdf' },
      {
        kind: 'document',
        mimeType: 'text/plain',
        size: originalText.length,
        sha256: sha(originalText),
        ref: `att:${original.id}`,
        filename: 'original-message.txt',
      },
    ]);
    const rows = sys.router.app.get(EmailAttachmentsRepository);
    const row = await rows.get(pdf.id);
    expect(row).toMatchObject({ mimeType: 'application/pdf', filename: 'estratto.pdf' });
    expect(Buffer.compare(row!.content, PDF)).toBe(0);
    expect((await rows.get(original.id))!.content.toString('utf8')).toContain('Ha pagato lei?');
    await pollUntil(async () => (await bucket.get(pdf.id)) === null, { what: 'object deleted' });
    expect(await bucket.get(original.id)).toBeNull();
  });

  it('refuses an object moved under another mail’s name (AAD): dead-lettered with the reason, nothing stored', async () => {
    const stolen = await seal(mailId(), PDF);
    // Another mail names an object that holds the first mail's sealed attachment.
    const id = mailId();
    const target = randomUUID();
    await bucket.put(target, stolen.raw);
    await sys.sendInbound(
      mail(id, 'allegato spostato', [{ ...stolen.ref, ref: sealedObjectRef(target) }]),
    );
    const dead = await pollUntil(
      () => sys.deadLetters.find((d) => d.error.code === 'ROUTER.ATTACHMENT_UNREADABLE'),
      { what: 'the dead letter', timeoutMs: 15_000 },
    );
    expect(dead.error.message).toBe(`attachment ${target} does not open`);
    expect(createdFor(sys.events, 'allegato spostato')).toEqual([]);
    expect(await sys.router.app.get(EmailAttachmentsRepository).get(target)).toBeNull();
  });
});
