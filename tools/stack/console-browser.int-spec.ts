// The operator console in Debian's Chromium (playwright-core), against the stack as `npm start` runs it:
// sign in, post a lead, find it by email, open it and see its CRM record ids; dead-letter a lead with the
// sandbox's fault injection, replay it from the console and see it delivered; a wrong token is refused;
// no serious axe-core violation on any page. Saves the lead page as test-results/console-lead.png, and as
// docs/console-lead.png (the README's screenshot) when CONSOLE_SCREENSHOT_UPDATE=1.
import { AxeBuilder } from '@axe-core/playwright';
import {
  anEnhancedLead,
  createTestDatabase,
  expectEventually,
  type TestDatabase,
} from '@lead-delivery/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { LOCAL_OPERATOR_TOKEN } from './services';
import { skipEarlierSuitesRecords, startStackProcess, type StackProcess } from './stack-process';

const root = join(__dirname, '..', '..');
const OFFSET = 21_000;
const gateway = `http://127.0.0.1:${3000 + OFFSET}`;
const readApi = `http://127.0.0.1:${3101 + OFFSET}`;
const sandbox = `http://127.0.0.1:${4010 + OFFSET}`;
const consoleUrl = `${readApi}/console/`;
const ACCOUNT = 'acct-austin-brokerage';
const HUBSPOT_DLQ = 'leads.enriched.v1.dlq.connector-hubspot';

interface Delivery {
  destination: string;
  status: string;
  crm_record_id: string | null;
}

/** Debian's Chromium, installed by tools/test/ensure-chromium.sh when missing (CI runs as root). */
function chromiumPath(): string {
  if (process.env['CHROMIUM_PATH']) return process.env['CHROMIUM_PATH'];
  const found = spawnSync(join(root, 'tools/test/ensure-chromium.sh'), { encoding: 'utf8' });
  if (found.status !== 0) throw new Error(`no Chromium: ${found.stderr}`);
  return found.stdout.trim();
}

async function postLead(lead: ReturnType<typeof anEnhancedLead>): Promise<void> {
  const answer = await fetch(`${gateway}/lead-delivery`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'local-austin-key' },
    body: JSON.stringify(lead),
  });
  expect(answer.status).toBe(200);
}

async function deliveriesOf(leadId: string): Promise<Delivery[]> {
  const response = await fetch(`${readApi}/accounts/${ACCOUNT}/leads/${leadId}`, {
    headers: { authorization: `Bearer ${LOCAL_OPERATOR_TOKEN}` },
  });
  return response.ok ? ((await response.json()) as { deliveries: Delivery[] }).deliveries : [];
}

async function sandboxFaults(method: 'PUT' | 'DELETE', body?: unknown): Promise<void> {
  const response = await fetch(`${sandbox}/sandbox/faults/hubspot`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

/** No serious or critical axe-core violation on the page as it is now. */
async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? ''));
  expect(
    serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`),
  ).toEqual([]);
}

describe('operator console in a browser, on the local stack', () => {
  let stack: StackProcess;
  let database: TestDatabase;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const executablePath = chromiumPath();
    database = await createTestDatabase('console');
    await skipEarlierSuitesRecords();
    stack = await startStackProcess(OFFSET, { DATABASE_URL: database.url });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    // axe-core's finishRun opens a page of its own in the context: a context made with newContext().
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await sandboxFaults('DELETE').catch(() => undefined);
    await stack?.stop();
    await database?.drop();
  }, 120_000);

  it('is printed by npm start', () => {
    expect(stack.output()).toContain(consoleUrl);
  });

  it('refuses a wrong token and keeps the token out of browser storage', async () => {
    await page.goto(consoleUrl);
    await expectAccessible(page);
    await page.getByLabel('Operator token').fill(`${LOCAL_OPERATOR_TOKEN}-wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not valid');
    await page.getByLabel('Operator token').fill(LOCAL_OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    // A string, evaluated in the page: this file is compiled without the DOM's types.
    const stored = await page.evaluate<string>(
      'JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie])',
    );
    expect(stored).not.toContain(LOCAL_OPERATOR_TOKEN);
    await expectAccessible(page);
  });

  it('finds a posted lead by email and shows its CRM record ids', async () => {
    const lead = anEnhancedLead();
    await postLead(lead);
    const records = await expectEventually(
      async () => {
        const deliveries = await deliveriesOf(lead.lead_id);
        expect(deliveries.map((delivery) => delivery.status)).toEqual(['delivered', 'delivered']);
        return deliveries.map((delivery) => delivery.crm_record_id as string);
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    await page.getByLabel('Lead id, email or phone').fill(lead.contact.email.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: lead.lead_id }).click();
    await page.getByRole('heading', { name: new RegExp(`Lead ${lead.lead_id}`) }).waitFor();
    for (const record of records) {
      const link = page.getByRole('link', { name: record });
      await link.waitFor();
      expect(await link.getAttribute('href')).toMatch(
        /^https:\/\/(app\.hubspot\.com|austin-brokerage\.lightning\.force\.com)\//,
      );
    }
    await expect(page.getByText('Enriched and routed').count()).resolves.toBe(1);
    await expectAccessible(page);
    const screenshot = process.env['CONSOLE_SCREENSHOT_UPDATE'] === '1' ? 'docs' : 'test-results';
    await page.screenshot({ path: join(root, screenshot, 'console-lead.png'), fullPage: true });
  });

  it('replays a dead-lettered lead from the console, which then reaches the CRM', async () => {
    await sandboxFaults('PUT', {
      validationRules: [
        { field: 'lastname', pattern: '^Refused', message: 'Refused contacts are not accepted' },
      ],
    });
    const lead = anEnhancedLead({ contact: { ...anEnhancedLead().contact, last_name: 'Refused' } });
    await postLead(lead);
    await expectEventually(
      async () =>
        expect(
          (await deliveriesOf(lead.lead_id)).find((delivery) => delivery.destination === 'hubspot')?.status,
        ).toBe('dead_lettered'),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await sandboxFaults('DELETE');

    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByLabel('Consumer').selectOption(HUBSPOT_DLQ);
    const replay = page.getByRole('button', { name: `Replay lead ${lead.lead_id} of ${ACCOUNT}` });
    await replay.waitFor({ timeout: 60_000 });
    await expectAccessible(page);
    await replay.click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Replayed 1;' }).textContent({ timeout: 60_000 }),
    ).resolves.toContain('Replayed 1;');
    await expectEventually(
      async () =>
        expect(
          (await deliveriesOf(lead.lead_id)).find((delivery) => delivery.destination === 'hubspot')?.status,
        ).toBe('delivered'),
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    await page.getByRole('link', { name: 'Leads' }).click();
    await page.getByLabel('Lead id, email or phone').fill(lead.lead_id);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: lead.lead_id }).click();
    await page.getByTestId('delivery-hubspot').getByText('delivered').waitFor();
  });

  it('shows speed-to-lead charts and erasures without serious accessibility violations', async () => {
    await page.getByRole('link', { name: 'Speed to lead' }).click();
    await page
      .getByRole('heading', { name: 'Delivery outcomes by day (30 days)' })
      .waitFor({ timeout: 30_000 });
    await page.locator('svg.recharts-surface').first().waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Erasures' }).click();
    await page.getByRole('heading', { name: 'Erasures' }).waitFor();
    await expectAccessible(page);
  });
});
