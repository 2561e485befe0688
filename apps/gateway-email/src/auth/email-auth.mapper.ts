import { z } from 'zod';

export type AuthResult =
  'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

/** SPF, DKIM and DMARC of one inbound mail, as recorded on the message. */
export interface EmailAuthSummary {
  spf: AuthResult;
  dkim: AuthResult;
  dmarc: AuthResult;
  /** The From domain DMARC evaluated (lower case), when there was one. */
  fromDomain: string | null;
}

const Result = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']))
  .catch('none');

// Tolerant reading of mailauth's result (no types ship with it).
const MailauthResult = z.object({
  spf: z
    .object({ status: z.object({ result: Result }).partial() })
    .partial()
    .nullish()
    .catch(null),
  dkim: z
    .object({
      results: z.array(z.object({ status: z.object({ result: Result }).partial() }).partial()),
    })
    .partial()
    .nullish()
    .catch(null),
  dmarc: z
    .union([
      z.object({ status: z.object({ result: Result }).partial(), domain: z.string() }).partial(),
      z.literal(false),
    ])
    .nullish()
    .catch(null),
});

/** mailauth's `authenticate` result → our summary. Anything unreadable counts as 'none'. Pure. */
export function summarizeAuth(raw: unknown): EmailAuthSummary {
  const r = MailauthResult.parse(raw ?? {});
  const dkimResults = (r.dkim?.results ?? []).map((d) => d.status?.result ?? 'none');
  const dkim: AuthResult = dkimResults.includes('pass') ? 'pass' : (dkimResults[0] ?? 'none');
  const dmarc = r.dmarc || null;
  return {
    spf: r.spf?.status?.result ?? 'none',
    dkim,
    dmarc: dmarc?.status?.result ?? 'none',
    fromDomain: dmarc?.domain?.toLowerCase() ?? null,
  };
}

/** "spf=pass dkim=pass dmarc=pass": the meta line an operator reads. */
export function authLine(s: EmailAuthSummary): string {
  return `spf=${s.spf} dkim=${s.dkim} dmarc=${s.dmarc}`;
}

/**
 * Does this mail prove its From address? Only when DMARC passed for exactly the From address's
 * domain. Everything else (fail, none, temperror) proves nothing.
 */
export function dmarcProves(s: EmailAuthSummary, fromAddress: string): boolean {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase();
  return s.dmarc === 'pass' && s.fromDomain === domain;
}
