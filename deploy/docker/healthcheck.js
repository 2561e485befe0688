// Docker HEALTHCHECK: GET /health/live on the app's own HTTP port. The slim Node image has no curl,
// and the port follows the app's own key (SMS_GATEWAY_PORT, ...), so an override moves both.
'use strict';

/** App → [the key of its HTTP port, its default]: the apps' config schemas (apps/<app>/src/config). */
const HTTP_PORTS = {
  'gateway-sms': ['SMS_GATEWAY_PORT', 3001],
  'gateway-inapp': ['INAPP_GATEWAY_PORT', 3002],
  router: ['ROUTER_PORT', 3003],
  'gateway-telegram': ['TELEGRAM_GATEWAY_PORT', 3004],
  'gateway-whatsapp': ['WHATSAPP_GATEWAY_PORT', 3005],
  'gateway-email': ['EMAIL_GATEWAY_PORT', 3006],
  vault: ['VAULT_PORT', 3007],
  console: ['CONSOLE_PORT', 3000],
  sandbox: ['SANDBOX_PORT', 3100],
};

function check(env) {
  const entry = HTTP_PORTS[env.APP];
  if (!entry) {
    console.error(`healthcheck: unknown APP ${String(env.APP)}`);
    process.exit(1);
  }
  const port = env[entry[0]] || entry[1];
  fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(4000) }).then(
    (res) => process.exit(res.ok ? 0 : 1),
    () => process.exit(1),
  );
}

if (require.main === module) check(process.env);
module.exports = { HTTP_PORTS };
