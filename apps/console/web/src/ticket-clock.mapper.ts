import type { TicketClockView } from '@omnigate/contracts';

/** What an agent reads about a ticket's regulatory clock. Pure. */
export interface ClockLine {
  tone: 'ok' | 'warn' | 'bad';
  text: string;
}

const RULE_NAMES: Record<TicketClockView['rule'], string> = {
  psd2_art101_complaint: 'PSD2 art. 101',
  psd2_art73_unauthorised: 'PSD2 art. 73 refund',
  reg_e_error: 'Reg E',
  reg_z_billing_error: 'Reg Z',
  cfpb_complaint: 'CFPB',
  visa_dispute_time_limit: 'Visa time limit',
  mastercard_chargeback_time_limit: 'Mastercard time limit',
};

/** A scheme clock stops when the dispute is raised with the scheme (or the ticket resolved). */
const SCHEME_RULES = new Set<TicketClockView['rule']>([
  'visa_dispute_time_limit',
  'mastercard_chargeback_time_limit',
]);

/** '3 d 4 h', '5 h 20 min', '12 min'; the sign is the caller's. */
export function duration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

const done = (c: TicketClockView) => (SCHEME_RULES.has(c.rule) ? 'raised or closed' : 'answered');

/**
 * How much is left: regulatory clocks count business days, so they are named; a scheme limit counts
 * calendar days, which the duration already says (business days there would mislead).
 */
const daysLeft = (c: TicketClockView) =>
  SCHEME_RULES.has(c.rule) ? '' : ` (${plural(c.businessDaysLeft, 'business day')})`;

export function clockLine(c: TicketClockView): ClockLine {
  const rule = RULE_NAMES[c.rule];
  const extended = c.extended ? ', extended' : '';
  switch (c.state) {
    case 'breached':
      return {
        tone: 'bad',
        text: c.stoppedAt
          ? `${rule}: ${done(c)} ${duration(c.msLeft)} late`
          : `${rule}: deadline passed ${duration(c.msLeft)} ago${extended}`,
      };
    case 'met':
      return { tone: 'ok', text: `${rule}: ${done(c)} in time` };
    case 'at_risk':
      return {
        tone: 'warn',
        text: `⚠ ${rule}: ${duration(c.msLeft)} left${daysLeft(c)}${extended}`,
      };
    case 'on_track':
      return {
        tone: 'ok',
        text: `${rule}: ${duration(c.msLeft)} left${daysLeft(c)}${extended}`,
      };
  }
}
