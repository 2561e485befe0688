import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { JourneyClocksService } from '../../apps/router/src/journeys/journey-clocks.service';
import { buildConsoleWeb } from '../../tools/web-build';
import { FULL_PLAN } from '../../tools/journey-traffic.plan';
import { playTraffic } from '../../tools/journey-traffic.runner';
import { hoursText, nearestRank } from '../../tools/journey-traffic.tally';
import type { TrafficResult } from '../../tools/journey-traffic.runner';
import { startSystem, totpFor } from './system.harness';
import type { System } from './system.harness';

/**
 * The journey dashboard after the traffic command (issue 15, "done when"): `npm run traffic`'s
 * plan plays through the real paths (simulator webhooks and app socket, core banking's fraud
 * engine, alice in the console API) into a fresh system with the bot on; a supervisor opens the
 * dashboard in chromium and every number the traffic determines is read off the page.
 * Screenshots go to artifacts/screenshots/journeys, the full page to docs/images/journeys.png.
 */

// database-incidental: it checks what the browser shows against what the traffic did; the journey
// projection and the summary's SQL run on both databases in apps/console/test/journeys.int-spec.ts
// and the router's journey tests, so CI runs this one once, on PGlite.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'screenshots', 'journeys');
const README_SHOT = join(ROOT, 'docs', 'images', 'journeys.png');
const WEB_DIR = join(ROOT, 'dist', 'console-web-journeys-e2e');

describe('the journey dashboard in a browser, after the traffic command', () => {
  let sys: System;
  let browser: Browser;
  let traffic: TrafficResult;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
      );
    }
    mkdirSync(SHOTS, { recursive: true });
    buildConsoleWeb(WEB_DIR);
    sys = await startSystem({ env: { CONSOLE_WEB_DIR: WEB_DIR } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    traffic = await playTraffic(FULL_PLAN, {
      consoleUrl: sys.urls.console,
      sandboxUrl: sys.urls.sandbox,
      coreBankingApiKey: sys.secrets.coreBankingApiKey,
      agent: { id: 'alice', password: sys.secrets.agentPassword },
      // Each step waits this long for the message in the console: in CI, with other test files
      // running beside it, an in-app message once took longer than the command's 20 s.
      waitMs: 45_000,
    });
    // The router counts the open tickets' clocks for the dashboard once a minute: run that count
    // now rather than wait for the next minute.
    await sys.apps.router!.app.get(JourneyClocksService).countOnce();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  const login = async (page: Page, agentId: string, password: string) => {
    await page.goto(`${sys.urls.console}/`);
    await page.getByTestId('login-agent').fill(agentId);
    await page.getByTestId('login-password').fill(password);
    const code = totpFor(sys, agentId);
    if (code) await page.getByTestId('login-totp').fill(code);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('who').waitFor();
  };
  const text = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
  const rowCount = async (page: Page, rowTestId: string, key: string) => {
    const row = page.locator(`[data-testid="${rowTestId}"][data-key="${key}"]`);
    return (await row.count()) === 0 ? 0 : Number(await row.getAttribute('data-count'));
  };

  it('shows a supervisor what the traffic did', async () => {
    expect(traffic.warnings).toEqual([]);
    const t = traffic.tally;
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) {
        cspErrors.push(m.text());
      }
    });
    await login(page, 'sam', sys.secrets.supervisorPassword);
    await page.getByTestId('nav-journeys').click();
    await page.getByTestId('journeys-dashboard').waitFor({ timeout: 20_000 });
    await page.getByTestId('journeys-flows').locator('svg').first().waitFor();

    // The headline numbers.
    expect(await text(page, 'stat-conversations-value')).toBe(String(t.conversations));
    expect(await text(page, 'stat-switches-value')).toBe(String(t.switches));
    expect(await text(page, 'stat-context-loss-value')).toBe(String(t.contextLoss.total));
    const fcr = `${Math.round((100 * t.firstContactResolved) / t.resolved)}%`;
    expect(await text(page, 'stat-fcr-value')).toBe(fcr);
    expect(await text(page, 'stat-fcr')).toContain(
      `${t.firstContactResolved} of ${t.resolved} resolved`,
    );

    // Start → end channel flows, and where the repeated card number was lost.
    for (const f of t.flows) {
      expect([
        `${f.start}>${f.end}`,
        await rowCount(page, 'flow-row', `${f.start}>${f.end}`),
      ]).toEqual([`${f.start}>${f.end}`, f.count]);
    }
    expect(await page.getByTestId('flow-row').count()).toBe(t.flows.length);
    for (const s of t.contextLoss.bySwitch) {
      expect(await rowCount(page, 'loss-switch-row', `${s.from}>${s.to}`)).toBe(s.count);
    }
    expect(await rowCount(page, 'loss-kind-row', 'card')).toBe(t.contextLoss.card);
    expect(await text(page, 'loss-handoff-value')).toBe(String(t.contextLoss.afterHandoff));

    // Fraud: signal to resolution, one case; onboarding funnel; the four targets.
    expect(await text(page, 'fraud-resolution-count-value')).toBe(String(t.fraudResolved));
    expect(await text(page, 'resolution-count-value')).toBe(String(t.resolved));
    const funnel = async (step: string) =>
      Number(
        await page
          .locator(`[data-testid="funnel-step"][data-step="${step}"]`)
          .getAttribute('data-count'),
      );
    expect([
      await funnel('started'),
      await funnel('identified'),
      await funnel('completed'),
    ]).toEqual([t.onboardingStarted, t.onboardingIdentified, t.onboardingCompleted]);
    expect(await text(page, 'clocks-on-track-value')).toBe(String(t.openClockTickets));
    const targets = page.getByTestId('target-row');
    const targetIds = await Promise.all(
      (await targets.all()).map((r) => r.getAttribute('data-target')),
    );
    expect(targetIds).toEqual(['resolution_time', 'fcr', 'fraud_resolution', 'onboarding']);
    expect(
      await page.locator('[data-target="fcr"] [data-testid="target-measured"]').textContent(),
    ).toBe(fcr);
    // The fraud case was signalled and resolved today, in seconds: well under the 2 h target.
    expect(
      await page.locator('[data-target="fraud_resolution"]').getAttribute('data-verdict'),
    ).toBe('met');

    // Over days: first messages stamped hours and days before the run by WhatsApp and Telegram,
    // answered and resolved now. FCR by the day each customer first wrote, several days.
    expect(t.fcrDays.length).toBeGreaterThan(1);
    const fcrDays = [];
    for (const row of await page.getByTestId('fcr-day-row').all()) {
      const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
      fcrDays.push({ day: cells[0], resolved: Number(cells[1]), firstContact: Number(cells[2]) });
    }
    expect(fcrDays).toEqual(t.fcrDays);
    // Resolution times in hours and days (each played seconds after its whole hours).
    const p50 = nearestRank(t.resolutionMs, 50)!;
    expect(p50).toBeGreaterThanOrEqual(3_600_000);
    expect(await text(page, 'resolution-p50-value')).toMatch(
      new RegExp(`^${hoursText(p50)}( \\d+ min)?$`),
    );
    expect(await text(page, 'resolution-p90-value')).toMatch(
      new RegExp(`^${hoursText(nearestRank(t.resolutionMs, 90))}$`),
    );
    // The median is past 0.65 × the 24 h baseline: the resolution-time target is missed.
    expect(await page.locator('[data-target="resolution_time"]').getAttribute('data-verdict')).toBe(
      p50 > 0.65 * 86_400_000 ? 'missed' : 'met',
    );

    // The console scrolls inside its own frame: a tall window shows the whole dashboard at once.
    await page.setViewportSize({ width: 1440, height: 2080 });
    await page.screenshot({ path: join(SHOTS, '01-dashboard.png') });
    await page.screenshot({ path: README_SHOT });
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page
      .getByTestId('journeys-context-loss')
      .screenshot({ path: join(SHOTS, '02-context-loss.png') });

    // The CSV export: the same numbers, as an attachment (the session cookie is enough for a GET).
    const csvHref = await page.getByTestId('csv-export').getAttribute('href');
    const csv = await page.request.get(`${sys.urls.console}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/text\/csv/);
    expect(csv.headers()['content-disposition']).toMatch(/attachment/);
    expect(await csv.text()).toMatch(new RegExp(`conversations\\W+${t.conversations}\\b`));

    // A day range without traffic: zeros, not an error.
    await page.getByTestId('range-from').fill('2026-01-01');
    await page.getByTestId('range-to').fill('2026-01-02');
    await page.getByTestId('range-apply').click();
    await page.locator('[data-testid="journeys-dashboard"][data-from^="2026-01-01"]').waitFor();
    expect(await text(page, 'stat-conversations-value')).toBe('0');
    expect(await page.getByTestId('journeys-error').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, '03-empty-range.png') });
    expect(cspErrors).toEqual([]);
  });

  it('is not offered to an agent', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login(page, 'alice', sys.secrets.agentPassword);
    expect(await page.getByTestId('nav-journeys').count()).toBe(0);
    await page.goto(`${sys.urls.console}/#/journeys`);
    await page.getByTestId('journeys-forbidden').waitFor();
  });
});
