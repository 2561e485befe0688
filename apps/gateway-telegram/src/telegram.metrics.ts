import { counter } from '@omnigate/kit';

/**
 * The Telegram gateway's own metrics (memoized: several apps may share one process); inbound,
 * sends and statuses are the kit's `omnigate_gateway_*{channel="telegram"}`.
 */
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
  updatesIgnored: counter(
    'omnigate_telegram_updates_ignored_total',
    'Updates acknowledged without publishing anything',
    ['reason'],
  ),
};
