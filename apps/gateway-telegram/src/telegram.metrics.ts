import { counter } from '@omnigate/kit';

/** The Telegram gateway's metrics (memoized: several apps may share one process). */
export const telegramMetrics = {
  updatesReceived: counter(
    'omnigate_telegram_updates_received_total',
    'Telegram updates received (webhook or polling), before any check',
    ['mode'],
  ),
  secretFailures: counter(
    'omnigate_telegram_secret_failures_total',
    'Webhook updates refused for their secret token',
    ['reason'],
  ),
  inboundPublished: counter(
    'omnigate_telegram_inbound_published_total',
    'Inbound Telegram messages published on the bus',
    ['kind', 'duplicate'],
  ),
  updatesIgnored: counter(
    'omnigate_telegram_updates_ignored_total',
    'Updates acknowledged without publishing anything',
    ['reason'],
  ),
  sends: counter('omnigate_telegram_sends_total', 'Outbound Telegram messages by outcome', [
    'outcome',
  ]),
};
