import { Inject, Injectable } from '@nestjs/common';
import { FaultInjector } from '../faults/fault-injector.service';
import type { ValidationRuleDto } from '../faults/fault-settings.dto';
import { RollingWindow } from '../faults/rolling-window';
import { FollowupbossConfig } from './followupboss.config';
import { invalidRequest } from './followupboss.error';

/** Event types POST /v1/events accepts (its reference's list). */
export const EVENT_TYPES = [
  'Registration',
  'Inquiry',
  'Seller Inquiry',
  'Property Inquiry',
  'General Inquiry',
  'Viewed Property',
  'Saved Property',
  'Visited Website',
  'Incoming Call',
  'Unsubscribed',
  'Property Search',
  'Saved Property Search',
  'Visited Open House',
  'Viewed Page',
];

export interface FubPerson {
  id: number;
  created: string;
  updated: string;
  firstName?: string;
  lastName?: string;
  source: string;
  emails: { value: string }[];
  phones: { value: string }[];
}

export interface FubStoredEvent {
  id: number;
  created: string;
  personId: number;
  type: string;
  source: string;
  system?: string;
  message?: string;
  description?: string;
  property?: Record<string, unknown>;
}

/** One account: its people, their events, its archived sources and its rate-limit windows by context. */
export class FubAccount {
  readonly people: FubPerson[] = [];
  readonly events: FubStoredEvent[] = [];
  readonly archivedSources = new Set<string>();
  readonly windows = new Map<string, RollingWindow>();

  constructor(readonly accountId: string) {}

  window(context: string): RollingWindow {
    let window = this.windows.get(context);
    if (!window) this.windows.set(context, (window = new RollingWindow()));
    return window;
  }
}

export type EventAnswer = { status: 201 | 200; person: FubPerson } | { status: 204 };

const ids = { person: 0, event: 0 };
const digits = (phone: string) => phone.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');

/** The fake Follow Up Boss's state: accounts by API key, systems by name. */
@Injectable()
export class FollowupbossStore {
  private readonly byKey = new Map<string, FubAccount>();
  private readonly systems: Map<string, string>;

  constructor(
    @Inject(FollowupbossConfig) private readonly config: FollowupbossConfig,
    private readonly faults: FaultInjector,
  ) {
    this.systems = new Map(config.FOLLOWUPBOSS_SYSTEMS.map((entry) => splitOnce(entry)));
    this.reset();
  }

  byApiKey(key: string | undefined): FubAccount | undefined {
    return key === undefined ? undefined : this.byKey.get(key);
  }

  account(accountId: string): FubAccount | undefined {
    return [...this.byKey.values()].find((account) => account.accountId === accountId);
  }

  /** Every account, once (an account may have several API keys). */
  accounts(): FubAccount[] {
    return [...new Set(this.byKey.values())];
  }

  isRegistered(system: string | undefined, key: string | undefined): boolean {
    return system !== undefined && key !== undefined && this.systems.get(system) === key;
  }

  /** Back to the configured accounts, with no people, events or usage. */
  reset(): void {
    this.byKey.clear();
    const accounts = new Map<string, FubAccount>();
    for (const [accountId, key] of this.config.FOLLOWUPBOSS_ACCOUNTS.map((entry) => splitOnce(entry))) {
      const account = accounts.get(accountId) ?? new FubAccount(accountId);
      accounts.set(accountId, account);
      this.byKey.set(key, account);
    }
    for (const [accountId, source] of this.config.FOLLOWUPBOSS_ARCHIVED_SOURCES.map((entry) =>
      splitOnce(entry),
    )) {
      accounts.get(accountId)?.archivedSources.add(source);
    }
  }

  /**
   * POST /v1/events: an event a validation rule of the account refuses → 400 with the rule's message; the
   * source's lead flow archived → 204, nothing stored; else the person found by one of its emails or phones
   * (200, merged) or created (201), and the event stored on it.
   */
  addEvent(account: FubAccount, body: unknown, system: string | undefined, now = new Date()): EventAnswer {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const type = input['type'];
    if (typeof type !== 'string' || !EVENT_TYPES.includes(type))
      throw invalidRequest(`type must be one of ${EVENT_TYPES.join(', ')}`);
    const source = typeof input['source'] === 'string' && input['source'] !== '' ? input['source'] : 'API';
    const person = (input['person'] ?? {}) as Record<string, unknown>;
    const emails = values(person['emails']).map((email) => email.toLowerCase());
    const phones = values(person['phones']);
    if (emails.length === 0 && phones.length === 0)
      throw invalidRequest('person needs an email address or a phone number');
    const refusal = brokenRule(this.faults.validationRules('followupboss', account.accountId), input);
    if (refusal) throw invalidRequest(refusal.message);
    if (account.archivedSources.has(source)) return { status: 204 };

    const at = now.toISOString();
    const existing = account.people.find(
      (known) =>
        known.emails.some(({ value }) => emails.includes(value)) ||
        known.phones.some(({ value }) => phones.some((phone) => digits(phone) === digits(value))),
    );
    const found = existing ?? { id: ++ids.person, created: at, updated: at, source, emails: [], phones: [] };
    if (!existing) account.people.push(found);
    for (const value of emails)
      if (!found.emails.some((known) => known.value === value)) found.emails.push({ value });
    for (const value of phones)
      if (!found.phones.some((known) => digits(known.value) === digits(value))) found.phones.push({ value });
    for (const name of ['firstName', 'lastName'] as const) {
      const given = person[name];
      if (typeof given === 'string' && given !== '') found[name] = given;
    }
    found.updated = at;
    account.events.push({
      id: ++ids.event,
      created: at,
      personId: found.id,
      type,
      source,
      ...text('system', input['system'] ?? system),
      ...text('message', input['message']),
      ...text('description', input['description']),
      ...(typeof input['property'] === 'object' && input['property'] !== null
        ? { property: input['property'] as Record<string, unknown> }
        : {}),
    });
    return { status: existing ? 200 : 201, person: found };
  }

  /** Removes the person and its events; false when the account has no such person. */
  deletePerson(account: FubAccount, personId: string): boolean {
    const index = account.people.findIndex((person) => String(person.id) === personId);
    if (index < 0) return false;
    const [person] = account.people.splice(index, 1);
    for (let at = account.events.length - 1; at >= 0; at--)
      if (account.events[at]?.personId === person?.id) account.events.splice(at, 1);
    return true;
  }
}

/**
 * The first validation rule (the fault injector's, per account) the event breaks: its `field` is a dotted
 * path into the event, e.g. `person.lastName`; a missing field tests as ''.
 */
function brokenRule(
  rules: ValidationRuleDto[],
  event: Record<string, unknown>,
): ValidationRuleDto | undefined {
  return rules.find((rule) => new RegExp(rule.pattern).test(fieldText(event, rule.field)));
}

function fieldText(event: Record<string, unknown>, path: string): string {
  let value: unknown = event;
  for (const name of path.split('.'))
    value =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

function splitOnce(entry: string): [string, string] {
  const colon = entry.indexOf(':');
  return [entry.slice(0, colon), entry.slice(colon + 1)];
}

/** `[{ "value": "..." }]` of a person's emails or phones, the values that are non-blank strings. */
function values(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const value = (item as { value?: unknown } | null)?.value;
    return typeof value === 'string' && value.trim() !== '' ? [value.trim()] : [];
  });
}

const text = (name: string, value: unknown) =>
  typeof value === 'string' && value !== '' ? { [name]: value } : {};
