import { Injectable, Module } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { AppEnv, HealthRegistry, KitModule, managementOf, parseConfig, startHttpApp } from '../src';
import type { RunningHttpApp } from '../src';

/** A dependency whose readiness the test flips, as the bus or the store would. */
@Injectable()
class FlakyDependency implements OnModuleInit {
  up = true;
  constructor(private readonly health: HealthRegistry) {}
  onModuleInit(): void {
    this.health.register({ name: 'flaky', check: () => this.up });
  }
}

@Module({ imports: [KitModule], providers: [FlakyDependency] })
class ProbeModule {}

/** omnigate_ready{app="management-test",check="flaky"} as scraped. */
function readyLine(text: string): string | undefined {
  return text
    .split('\n')
    .find((l) => l.startsWith('omnigate_ready{app="management-test",check="flaky"}'));
}

describe('the management port', () => {
  let app: RunningHttpApp;

  beforeAll(async () => {
    const config = parseConfig(AppEnv, { LOG_LEVEL: 'error' });
    app = await startHttpApp(ProbeModule, {
      name: 'management-test',
      port: 0,
      logLevel: config.LOG_LEVEL,
      management: managementOf(config),
    });
  });
  afterAll(() => app?.close());

  it('serves /metrics with process metrics and readiness, apart from the public port', async () => {
    expect(app.managementUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.managementUrl).not.toBe(app.url);
    const res = await fetch(`${app.managementUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_p99_seconds']) {
      expect(text).toContain(`\n${name} `);
    }
    expect(readyLine(text)).toBe('omnigate_ready{app="management-test",check="flaky"} 1');
    // The public port (provider webhooks) keeps health, and no longer publishes metrics.
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${app.managementUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${app.managementUrl}/anything`)).status).toBe(404);
  });

  it('reports a failing readiness check at the next scrape', async () => {
    app.app.get(FlakyDependency).up = false;
    const text = await (await fetch(`${app.managementUrl}/metrics`)).text();
    expect(readyLine(text)).toBe('omnigate_ready{app="management-test",check="flaky"} 0');
    app.app.get(FlakyDependency).up = true;
  });

  it('closes with the app', async () => {
    const config = parseConfig(AppEnv, { LOG_LEVEL: 'error' });
    const other = await startHttpApp(ProbeModule, {
      name: 'management-test-closing',
      port: 0,
      logLevel: config.LOG_LEVEL,
      management: managementOf(config),
    });
    const url = `${other.managementUrl}/metrics`;
    expect((await fetch(url)).status).toBe(200);
    await other.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});
