import { randomBytes } from 'node:crypto';
import type { GatewaySystemOptions } from '@omnigate/testing';
import { renderNatsUsers } from './nats-config';
import { SERVICE_PERMISSIONS } from './nats-permissions';

/**
 * For tests: the deploy's NATS users (least privilege, the one source of the permissions) with
 * random passwords, plus an all-seeing probe standing in for the router and the test. The
 * gateway under test runs as `user` (`gateway-sms`, ...).
 */
export function deployNatsUsers(user: string): {
  gatewayEnv: Record<string, string>;
  opts: Required<Pick<GatewaySystemOptions, 'nats' | 'probeAuth'>>;
} {
  const pass = () => 'p' + randomBytes(12).toString('hex');
  const passwords: Record<string, string> = { NATS_PASS_TEST_PROBE: pass() };
  for (const s of SERVICE_PERMISSIONS) passwords[s.passwordEnv] = pass();
  const service = SERVICE_PERMISSIONS.find((s) => s.user === user);
  if (!service) throw new Error(`no NATS user ${user} in tools/nats-permissions.ts`);
  const probe = { user: 'test-probe', passwordEnv: 'NATS_PASS_TEST_PROBE' };
  const users = renderNatsUsers([
    ...SERVICE_PERMISSIONS,
    { ...probe, publish: ['>'], subscribe: ['>'] },
  ]);
  return {
    gatewayEnv: { NATS_USER: user, NATS_PASS: passwords[service.passwordEnv]! },
    opts: {
      nats: { extraConfig: users, env: passwords },
      probeAuth: { user: probe.user, pass: passwords.NATS_PASS_TEST_PROBE! },
    },
  };
}

/**
 * A gateway deployed as it will run, started before the router: its own NATS user, and nobody
 * has created the streams yet (the probe does not, the system does not wait for readiness).
 */
export function deployedBeforeTheRouter(user: string): {
  gatewayEnv: Record<string, string>;
  opts: Pick<GatewaySystemOptions, 'nats' | 'probeAuth' | 'probeDeclaresStreams' | 'waitReady'>;
} {
  const users = deployNatsUsers(user);
  return {
    gatewayEnv: users.gatewayEnv,
    opts: { ...users.opts, probeDeclaresStreams: false, waitReady: false },
  };
}
