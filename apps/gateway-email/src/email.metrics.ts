import { counter } from '@omnigate/kit';

/** The email gateway's metrics (memoized: several apps may share one process). */
export const emailMetrics = {
  inbound: counter('omnigate_email_inbound_total', 'Inbound mail by outcome', [
    'source',
    'outcome',
  ]),
  auth: counter('omnigate_email_auth_total', 'Inbound mail by DMARC result', ['dmarc']),
  attachments: counter('omnigate_email_attachments_total', 'Inbound attachments by verdict', [
    'verdict',
  ]),
  smtpRejected: counter(
    'omnigate_email_smtp_rejected_total',
    'SMTP commands refused by the listener',
    ['reason'],
  ),
  sends: counter('omnigate_email_sends_total', 'Outbound mail by outcome', ['outcome']),
  bounces: counter('omnigate_email_bounces_total', 'Delivery status notifications by outcome', [
    'outcome',
  ]),
};
