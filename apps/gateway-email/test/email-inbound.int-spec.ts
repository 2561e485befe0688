import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { DeadLetterReader } from '@omnigate/bus';
import {
  SealedObjectBuckets,
  Subjects,
  quarantinedMailAad,
  sealedAttachmentAad,
  sealedObjectIdOf,
} from '@omnigate/contracts';
import type { InboundMessageV1, SealedCardV1 } from '@omnigate/contracts';
import { HpkeOpener, sealedCardAad } from '@omnigate/crypto';
import { EDGE_FORBIDDEN_ENV, RecipientVetoes } from '@omnigate/gateway-kit';
import { containsPan, dumpStreams, pollUntil, streamCount } from '@omnigate/testing';
import {
  KEYS,
  inboundOnBus,
  openObject,
  rawObject,
  readSubject,
  sendMail,
  sinkMessages,
  startEmailSystem,
  waitInbound,
} from './email-test-system';
import type { EmailSystem } from './email-test-system';

const GIULIA = 'giulia.rossi@example.it';
const OLIVER = 'oliver.bennett@example.co.uk';
const PAN = '4111 1111 1111 1111';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20)]);
const mid = () => `<${randomUUID()}@mail.example.it>`;

/** The sealed object an attachment ref names, raw (as anyone with bus access could read it). */
const objectOf = (sys: EmailSystem, ref: string) =>
  rawObject(sys, SealedObjectBuckets.emailAttachments, sealedObjectIdOf(ref)!);

/** What the router does: open an attachment of `msg` with its intake private key. */
async function openAttachment(sys: EmailSystem, msg: InboundMessageV1, ref: string) {
  const raw = await objectOf(sys, ref);
  return openObject(
    raw!,
    sys.keys.intake.privateKey,
    sealedAttachmentAad(msg.providerMessageId, ref),
  );
}

describe('gateway-email inbound: SMTP listener → msg.in.v1.email', () => {
  let sys: EmailSystem;

  beforeAll(async () => {
    sys = await startEmailSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('reports the SMTP listener in its readiness', async () => {
    const res = await fetch(`${sys.gateway.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { smtp_listener: true } });
  });

  describe('SPF, DKIM and DMARC, computed offline with the injected resolver', () => {
    it('DKIM pass + SPF pass: DMARC passes and the From address is proven', async () => {
      const id = mid();
      const res = await sendMail(sys, {
        from: GIULIA,
        subject: 'Ciao',
        text: 'Ciao',
        messageId: id,
        dkim: true,
      });
      expect(res).toMatchObject({ accepted: true, responseCode: 250 });
      const msg = await waitInbound(sys, id);
      expect(msg.meta?.emailAuth).toBe('spf=pass dkim=pass dmarc=pass');
      expect(msg.auth).toEqual({ method: 'email_dmarc', level: 'none', subject: GIULIA });
      expect(msg.meta?.authWarning).toBeUndefined();
    });

    it('SPF pass without a signature: dkim none, DMARC passes through aligned SPF', async () => {
      const id = mid();
      await sendMail(sys, { from: GIULIA, subject: 'x', text: 'x', messageId: id });
      expect((await waitInbound(sys, id)).meta?.emailAuth).toBe('spf=pass dkim=none dmarc=pass');
    });

    it('SPF fail (our IP not allowed) but aligned DKIM pass: DMARC passes', async () => {
      const id = mid();
      await sendMail(sys, { from: OLIVER, subject: 'Hi', text: 'Hi', messageId: id, dkim: true });
      const msg = await waitInbound(sys, id);
      expect(msg.meta?.emailAuth).toBe('spf=fail dkim=pass dmarc=pass');
      expect(msg.auth.method).toBe('email_dmarc');
    });

    it('DKIM fail (a key the domain never published) + SPF fail: DMARC fails, nothing proven, the agent is warned', async () => {
      const id = mid();
      await sendMail(sys, {
        from: OLIVER,
        subject: 'Urgent',
        text: 'Send me the OTP',
        messageId: id,
        dkim: { privateKey: KEYS.unpublished.privateKey },
      });
      const msg = await waitInbound(sys, id);
      expect(msg.meta?.emailAuth).toBe('spf=fail dkim=fail dmarc=fail');
      expect(msg.auth).toEqual({ method: 'none', level: 'none' });
      expect(msg.meta?.authWarning).toBe('dmarc_fail');
    });
  });

  it('ATTACK: a forged STOP (DMARC fail) is published as text and puts nothing on the opt-out list', async () => {
    const vetoes = sys.gateway.app.get(RecipientVetoes);
    const forged = mid();
    await sendMail(sys, {
      from: OLIVER,
      subject: 'STOP',
      text: '',
      messageId: forged,
      dkim: { privateKey: KEYS.unpublished.privateKey },
    });
    const msg = await waitInbound(sys, forged);
    expect(msg).toMatchObject({
      kind: 'text',
      auth: { method: 'none' },
      meta: { authWarning: 'dmarc_fail', unprovenConsent: 'optout' },
    });
    expect(await vetoes.vetoOf(OLIVER, 'fraud_alert')).toBeNull();

    // The same STOP from the proven sender is honoured at once by the gateway's own list.
    const proven = mid();
    await sendMail(sys, { from: OLIVER, subject: 'STOP', text: '', messageId: proven, dkim: true });
    expect((await waitInbound(sys, proven)).kind).toBe('optout');
    expect(await vetoes.vetoOf(OLIVER, 'fraud_alert')).toMatchObject({ kind: 'opted_out' });
  });

  it('refuses mail for a domain that is not ours (no open relay) and publishes nothing', async () => {
    const before = await streamCount(sys.nats.url, 'MSG_IN');
    const res = await sendMail(sys, {
      from: GIULIA,
      to: 'someone@elsewhere.example',
      text: 'relay me',
    });
    expect(res).toMatchObject({ accepted: false, responseCode: 550 });
    expect(res.response).toMatch(/Relaying denied/);
    expect(await streamCount(sys.nats.url, 'MSG_IN')).toBe(before);
  });

  it('boots with no database, no data key and no card token key in its environment', () => {
    const held = Object.keys(sys.gatewayEnv);
    for (const key of EDGE_FORBIDDEN_ENV) expect(held).not.toContain(key);
    expect(EDGE_FORBIDDEN_ENV).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'DATA_KEKS', 'DATA_INDEX_KEY', 'PAN_TOKEN_KEY']),
    );
  });

  it('seals an accepted attachment to the router in the object store; the bus carries its reference', async () => {
    const id = mid();
    await sendMail(sys, {
      from: GIULIA,
      subject: 'Estratto conto',
      text: 'In allegato.',
      messageId: id,
      dkim: true,
      attachments: [
        {
          filename: 'estratto.pdf',
          contentType: 'application/pdf',
          contentBase64: PDF.toString('base64'),
        },
      ],
    });
    const msg = await waitInbound(sys, id);
    expect(msg.attachments).toEqual([
      {
        kind: 'document',
        mimeType: 'application/pdf',
        size: PDF.length,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        ref: expect.stringMatching(/^obj:[0-9a-f-]{36}$/) as unknown,
        filename: 'estratto.pdf',
      },
    ]);
    const ref = msg.attachments[0]!.ref;
    const raw = await objectOf(sys, ref);
    // Sealed: neither the bytes nor their base64 are in the object.
    expect(raw!.includes(PDF.subarray(0, 200))).toBe(false);
    expect(raw!.toString('utf8')).not.toContain(PDF.toString('base64').slice(0, 40));
    // Nothing the gateway holds opens it (its keys are public ones), the router's key does.
    const aad = sealedAttachmentAad(msg.providerMessageId, ref);
    const keysHeld = Object.values(sys.gatewayEnv).filter((v) => /^[\w-]{1,32}:[\w-]{43}$/.test(v));
    expect(keysHeld).toHaveLength(2);
    for (const value of keysHeld) {
      await expect(openObject(raw!, value, aad)).rejects.toMatchObject({
        code: expect.stringMatching(/^CRYPTO\.HPKE_/) as unknown,
      });
    }
    expect(Buffer.compare(await openAttachment(sys, msg, ref), PDF)).toBe(0);
    // Bound to this mail: under another mail's Message-ID it does not open.
    await expect(
      openObject(raw!, sys.keys.intake.privateKey, sealedAttachmentAad(mid(), ref)),
    ).rejects.toMatchObject({ code: 'CRYPTO.HPKE_OPEN_FAILED' });
    // The bus carries the reference, never the bytes.
    expect(JSON.stringify(msg)).not.toContain(PDF.toString('base64').slice(0, 40));
  });

  it('refuses an oversized and a forbidden attachment with a clear reason; the message still arrives', async () => {
    const id = mid();
    const res = await sendMail(sys, {
      from: GIULIA,
      subject: 'Documenti',
      text: 'Ecco i file',
      messageId: id,
      dkim: true,
      attachments: [
        {
          filename: 'scan.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.alloc(100 * 1024, 0x25).toString('base64'),
        },
        {
          filename: 'fattura.pdf.exe',
          contentType: 'application/octet-stream',
          contentBase64: Buffer.from('MZ\x90\x00rest').toString('base64'),
        },
        {
          filename: 'ok.txt',
          contentType: 'text/plain',
          contentBase64: Buffer.from('ciao').toString('base64'),
        },
      ],
    });
    expect(res.accepted).toBe(true);
    const msg = await waitInbound(sys, id);
    expect(msg.attachments.map((a) => a.filename)).toEqual(['ok.txt']);
    // The sender (DMARC-proven) is told, in Italian and English, threaded under the mail.
    const reply = await pollUntil(
      async () => (await sinkMessages(sys)).find((m) => m.inReplyTo === id),
      {
        what: 'the refusal auto-reply at the sink',
      },
    );
    expect(reply).toMatchObject({ to: [GIULIA], subject: 'Re: Documenti' });
    expect(reply.headers['auto-submitted']).toBe('auto-replied');
    expect(reply.text).toMatch(/Gentile cliente[\s\S]*"scan\.pdf" is 100 KB[\s\S]*Dear customer/);
    expect(msg.meta?.refusedAttachments).toBe('2');
    expect(msg.text).toBe(
      [
        'Documenti',
        '',
        'Ecco i file',
        '',
        '[Allegati rifiutati / Attachments refused: 2]',
        '- "scan.pdf" is 100 KB, over the 64 KB limit',
        '- "fattura.pdf.exe" is an executable file',
      ].join('\n'),
    );
  });

  it('strips quoted history and turns HTML into text, keeping the original apart', async () => {
    const id = mid();
    await sendMail(sys, {
      from: GIULIA,
      subject: 'Re: La sua richiesta',
      html: '<div>Sì, ero io.<script>alert(1)</script></div><div>Il giorno lun 23 nov 2026 Assistenza ha scritto:</div><blockquote>Ha pagato lei?</blockquote>',
      messageId: id,
      dkim: true,
    });
    const msg = await waitInbound(sys, id);
    expect(msg.text).toBe('Re: La sua richiesta\n\nSì, ero io.');
    expect(msg.meta!.originalRef).toMatch(/^obj:/);
    const original = await openAttachment(sys, msg, msg.meta!.originalRef!);
    expect(original.toString('utf8')).toContain('Ha pagato lei?');
  });

  it('keeps a card number in the subject, the body or a file name off the bus; each card sealed to the vault first', async () => {
    const id = mid();
    await sendMail(sys, {
      from: GIULIA,
      subject: `Carta ${PAN} bloccata`,
      text: `La mia carta ${PAN.replace(/ /g, '-')} non va.\n\n> citazione ${PAN}`,
      messageId: id,
      dkim: true,
      attachments: [
        {
          filename: `carta ${PAN}.txt`,
          contentType: 'text/plain',
          contentBase64: Buffer.from('x').toString('base64'),
        },
      ],
    });
    const msg = await waitInbound(sys, id);
    expect(msg.redactions.length).toBeGreaterThanOrEqual(2);
    expect(msg.meta?.subject).toMatch(/^Carta \[card visa \*{4}1111 ref_[a-z]+\] bloccata$/);
    const streams = await dumpStreams(sys.nats.url, [
      'MSG_IN',
      'DLQ',
      'CARDS',
      'KV_email_threads',
      'OBJ_email_attachments',
    ]);
    expect(streams.some((s) => containsPan(s, PAN))).toBe(false);
    const original = await openAttachment(sys, msg, msg.meta!.originalRef!);
    expect(containsPan(original.toString('utf8'), PAN)).toBe(false);
    // Every reference in the message has its card on card.v1.sealed.email, which only the vault opens.
    const cards = await readSubject<SealedCardV1>(sys, 'CARDS', Subjects.sealedCard('email'));
    const vault = HpkeOpener.fromConfig(sys.keys.vault.privateKey);
    for (const r of msg.redactions) {
      const card = cards.find((c) => c.ref === r.token);
      expect(card).toMatchObject({ channel: 'email', brand: 'visa', last4: '1111' });
      expect(await vault.openText(card!.box, sealedCardAad(r.token))).toBe(PAN.replace(/ /g, ''));
    }
    // So does every reference the message does not list: the file name's, the quoted history's
    // in the original. Whatever shows a reference, the vault knows its card.
    const shown = [
      ...`${JSON.stringify(msg)}\n${original.toString('utf8')}`.matchAll(/ref_[a-z]+/g),
    ];
    const refs = new Set(shown.map((m) => m[0]));
    expect(refs.size).toBeGreaterThanOrEqual(msg.redactions.length + 2);
    for (const ref of refs) expect(cards.map((c) => c.ref)).toContain(ref);
  });

  it('keeps an unreadable mail for an operator in the dead letters (250 to the sender, nothing lost)', async () => {
    const marker = randomUUID();
    const res = await sendMail(sys, {
      from: GIULIA,
      raw: `this is not a mail at all ${marker}\r\nno headers, card ${PAN}\r\n`,
    });
    expect(res.accepted).toBe(true);
    const kept = await pollUntil(
      async () =>
        (await sys.probe.get(DeadLetterReader).recent(50)).entries.find(
          (e) => e.error.code === 'EMAIL.FROM_MISSING',
        ),
      { what: 'the quarantine dead letter' },
    );
    expect(kept).toMatchObject({
      stream: 'EMAIL_INBOUND',
      consumer: 'gateway-email',
      error: { code: 'EMAIL.FROM_MISSING', message: 'no readable From address' },
    });
    // The dead letter names the sealed mail; its text is not on the bus.
    const pointer = JSON.parse(kept.payload) as { bucket: string; object: string };
    expect(pointer.bucket).toBe(SealedObjectBuckets.emailQuarantine);
    expect(kept.payload).not.toContain(marker);
    const raw = await rawObject(sys, pointer.bucket, pointer.object);
    expect(raw!.toString('utf8')).not.toContain(marker);
    const mail = await openObject(
      raw!,
      sys.keys.intake.privateKey,
      quarantinedMailAad(pointer.object),
    );
    expect(mail.toString('utf8')).toContain(marker);
    expect((await inboundOnBus(sys)).some((m) => m.text.includes(marker))).toBe(false);
    // Not even the router's key opens the card number in it: a reference the vault knows instead.
    expect(containsPan(mail.toString('utf8'), PAN)).toBe(false);
    const ref = /\[card visa \*\*\*\*1111 (ref_[a-p]{20})\]/.exec(mail.toString('utf8'))?.[1];
    expect(ref).toBeDefined();
    const sealed = await pollUntil(
      async () =>
        (await readSubject<SealedCardV1>(sys, 'CARDS', Subjects.sealedCard('email'))).find(
          (c) => c.ref === ref,
        ),
      { what: 'the sealed card of the quarantined mail' },
    );
    expect(
      await HpkeOpener.fromConfig(sys.keys.vault.privateKey).openText(
        sealed.box,
        sealedCardAad(ref!),
      ),
    ).toBe('4111111111111111');
  });

  it('takes card data out of the encoded parts of a quarantined mail (issue 13 item 4)', async () => {
    const quarantined = async () =>
      (await sys.probe.get(DeadLetterReader).recent(50)).entries.filter(
        (e) => e.error.code === 'EMAIL.FROM_MISSING',
      );
    const before = new Set((await quarantined()).map((e) => e.payload));
    const b64 = Buffer.from('carta ４１１１ １１１１ １１１１ １１１１ cvv 123').toString('base64');
    const res = await sendMail(sys, {
      from: GIULIA,
      raw: [
        `Subject: =?UTF-8?B?${Buffer.from('scadenza 12/27, carta 4111.1111.1111.1111').toString('base64')}?=`,
        'Content-Type: multipart/mixed; boundary="q"',
        '',
        '--q',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'numero 4111 1111 11=',
        '11 1111',
        '--q',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        b64,
        '--q--',
        '',
      ].join('\r\n'),
    });
    expect(res.accepted).toBe(true);
    const kept = await pollUntil(
      async () => (await quarantined()).find((e) => !before.has(e.payload)),
      { what: 'its quarantine dead letter' },
    );
    const pointer = JSON.parse(kept.payload) as { bucket: string; object: string };
    const mail = await simpleParser(
      await openObject(
        (await rawObject(sys, pointer.bucket, pointer.object))!,
        sys.keys.intake.privateKey,
        quarantinedMailAad(pointer.object),
      ),
    );
    const shown = [mail.subject, mail.text].join('\n');
    expect(shown).toMatch(/\[card visa \*\*\*\*1111 ref_[a-p]{20}\]/);
    expect(shown).not.toMatch(/4111|４１１１|cvv 123|12\/27/);
    expect(shown).toContain('cvv [security code removed]');
  });

  it('publishes a mail delivered twice (sender retry) once', async () => {
    const id = mid();
    await sendMail(sys, { from: GIULIA, subject: 'dup', text: 'dup', messageId: id, dkim: true });
    await waitInbound(sys, id);
    const res = await sendMail(sys, {
      from: GIULIA,
      subject: 'dup',
      text: 'dup',
      messageId: id,
      dkim: true,
    });
    expect(res.accepted).toBe(true);
    expect((await inboundOnBus(sys)).filter((m) => m.providerMessageId === id)).toHaveLength(1);
  });

  it('answers 451 while NATS is down (the sender keeps the mail and retries), 250 once it is back', async () => {
    const id = mid();
    await sys.nats.stop();
    try {
      const res = await sendMail(sys, {
        from: GIULIA,
        subject: 'retry',
        text: 'retry',
        messageId: id,
        dkim: true,
      });
      expect(res).toMatchObject({ accepted: false, responseCode: 451 });
    } finally {
      await sys.nats.start();
    }
    const again = await pollUntil(
      async () => {
        const r = await sendMail(sys, {
          from: GIULIA,
          subject: 'retry',
          text: 'retry',
          messageId: id,
          dkim: true,
        });
        return r.accepted ? r : null;
      },
      { timeoutMs: 20_000, intervalMs: 500, what: 'the listener to take mail again' },
    );
    expect(again.responseCode).toBe(250);
    await waitInbound(sys, id);
  });
});
