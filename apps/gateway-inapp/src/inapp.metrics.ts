import { counter, gauge } from '@omnigate/kit';

// Memoized by name: several apps (and test instances) may share one process.
export const inappConnections = gauge(
  'omnigate_inapp_connections',
  'Authenticated app sockets connected to this process',
);
export const inappAuthFailures = counter(
  'omnigate_inapp_auth_failures_total',
  'App sockets refused at connect',
  ['code'],
);
export const inappMessagesIn = counter(
  'omnigate_inapp_messages_in_total',
  'Messages sent by the app',
  ['result'],
);
export const inappPushes = counter(
  'omnigate_inapp_pushes_total',
  'Outbound messages emitted to local app sockets',
  ['result'],
);
