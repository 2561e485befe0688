import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { buildConsoleWeb } from '../../tools/web-build';
import { WITHOUT_BOT, startSystem, totpFor } from './system.harness';
import type { System } from './system.harness';

// database-incidental: it checks what the browser shows and runs; the console's and the router's
// integration tests run on both databases, so CI runs this one once, on PGlite.

/**
 * The console in a real browser (Debian's chromium, driven by playwright-core): an agent sees a
 * customer's SMS arrive live, opens it, reads the context, replies; the customer simulator gets the
 * reply; the same customer writes in the app and the timeline shows both channels; the agent's
 * unblock of a fraud-blocked card is refused with the reason and a supervisor's approval completes
 * it. A screenshot of every step goes to artifacts/screenshots/console-ui.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots', 'console-ui');
const WEB_DIR = join(__dirname, '..', '..', 'dist', 'console-web-e2e');
const GIULIA = {
  coreId: 'cust-1001',
  name: 'Giulia Rossi',
  fraudCard: 'card-1001-a',
  last4: '4821',
};

describe('the agent console in a browser', () => {
  let sys: System;
  let browser: Browser;
  let step = 0;

  const shot = async (page: Page, name: string) => {
    step++;
    await page.screenshot({ path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`) });
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
      );
    }
    mkdirSync(SHOTS, { recursive: true });
    buildConsoleWeb(WEB_DIR);
    sys = await startSystem({ env: { ...WITHOUT_BOT, CONSOLE_WEB_DIR: WEB_DIR } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  }, 120_000);
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
  const simulatorSend = async (page: Page, channel: string, text: string) => {
    await page.getByTestId('channel-select').selectOption(channel);
    await page.getByTestId('message-input').fill(text);
    await page.getByTestId('send-button').click();
  };

  it('an SMS arrives live, the agent answers, the app joins the same timeline, a fraud unblock needs a supervisor', async () => {
    const agent = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const customer = await browser.newPage({ viewport: { width: 900, height: 800 } });
    // Card and ticket actions ask for a reason in a prompt: the agent types one.
    agent.on('dialog', (d) => void d.accept('customer called from the registered number'));

    // 1. The agent logs in; the inbox is live and empty of Giulia.
    await login(agent, 'alice', sys.secrets.agentPassword);
    await agent.getByTestId('queues').waitFor();
    await shot(agent, 'agent-logged-in');

    // 2. Giulia writes an SMS from the customer simulator.
    await customer.goto(`${sys.urls.sandbox}/simulator`);
    await customer.locator('body[data-ready="true"]').waitFor();
    await customer.getByTestId('persona-select').selectOption(GIULIA.coreId);
    await simulatorSend(customer, 'sms', 'La mia carta è bloccata, potete aiutarmi?');
    await shot(customer, 'customer-sends-sms');

    // 3. It appears in the agent's list without a reload.
    const item = agent.getByTestId('conversation-item').filter({ hasText: GIULIA.name });
    await item.waitFor({ timeout: 20_000 });
    await shot(agent, 'sms-arrives-live');

    // 4. The agent opens it: the timeline and the context panel.
    await item.click();
    const timeline = agent.getByTestId('timeline');
    await timeline.getByText('La mia carta è bloccata, potete aiutarmi?').waitFor();
    const panel = agent.getByTestId('context-panel');
    await panel.getByTestId('context-customer').getByText(GIULIA.name).waitFor();
    const fraudCard = panel.locator(`[data-card-id="${GIULIA.fraudCard}"]`);
    await fraudCard.getByText('blocked').waitFor();
    await fraudCard.getByText('the fraud engine').waitFor();
    expect(await panel.getByTestId('context-transactions').locator('tr').count()).toBeGreaterThan(
      0,
    );
    await shot(agent, 'conversation-and-context');

    // 5. The agent replies on SMS (the default: the channel she used) and the simulator gets it.
    expect(await agent.getByTestId('reply-channel').inputValue()).toBe('sms');
    await agent
      .getByTestId('reply-limit')
      .getByText(/segment/)
      .waitFor();
    await agent.getByTestId('reply-text').fill('Buongiorno Giulia, verifichiamo subito la carta.');
    await agent.getByTestId('reply-send').click();
    await customer
      .getByTestId('inbox-message')
      .filter({ hasText: 'verifichiamo subito la carta' })
      .first()
      .waitFor({ timeout: 20_000 });
    await shot(customer, 'customer-receives-reply');

    // 6. She goes on in the app: one conversation, two channels in the timeline.
    await simulatorSend(customer, 'inapp', 'Vi scrivo anche dall’app');
    await timeline.getByText('Vi scrivo anche dall’app').waitFor({ timeout: 20_000 });
    const items = await timeline.getByTestId('timeline-message').all();
    const channels = await Promise.all(items.map((m) => m.getAttribute('data-channel')));
    expect(new Set(channels)).toEqual(new Set(['sms', 'inapp']));
    await shot(agent, 'timeline-two-channels');

    // 7. The agent tries to unblock the fraud-blocked card: refused, with the reason.
    await fraudCard.getByTestId('card-unblock').click();
    const refusal = fraudCard.getByTestId('card-action-refused');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/supervisor|approv/i);
    await shot(agent, 'unblock-refused');

    // 8. A supervisor approves it on the approvals screen; the card is active again.
    const supervisor = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    supervisor.on('dialog', (d) => void d.accept('verified with the customer'));
    await login(supervisor, 'sam', sys.secrets.supervisorPassword);
    await supervisor.getByTestId('nav-approvals').click();
    const row = supervisor.getByTestId('approval-row').filter({ hasText: GIULIA.fraudCard });
    await row.waitFor();
    await shot(supervisor, 'supervisor-approvals');
    await row.getByTestId('approve').click();
    await row.waitFor({ state: 'detached' });
    await agent.reload();
    await agent
      .getByTestId('context-panel')
      .locator(`[data-card-id="${GIULIA.fraudCard}"]`)
      .getByText('active')
      .waitFor({ timeout: 20_000 });
    await shot(agent, 'card-unblocked-after-approval');
  }, 180_000);

  it('shows a message with HTML or script as text, and runs none of it', async () => {
    const page = await browser.newPage();
    await login(page, 'sam', sys.secrets.supervisorPassword);
    const customer = await browser.newPage();
    await customer.goto(`${sys.urls.sandbox}/simulator`);
    await customer.locator('body[data-ready="true"]').waitFor();
    await customer.getByTestId('persona-select').selectOption(GIULIA.coreId);
    const evil =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
    await simulatorSend(customer, 'sms', evil);
    await page.getByTestId('conversation-item').filter({ hasText: GIULIA.name }).first().click();
    const text = page.getByTestId('message-text').filter({ hasText: '<script>' });
    await text.waitFor({ timeout: 20_000 });
    expect(await text.textContent()).toBe(evil);
    expect(await text.locator('img, script, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await shot(page, 'html-shown-as-text');
  }, 90_000);
});
