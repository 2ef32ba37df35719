import { LEAD_KINDS, LEAD_ROLES, LEAD_TIERS } from '@lead-delivery/contracts';
import { normalizeState } from '../normalization/normalize-state.util';
import { SettingsProblems, isPlainObject, join, readJsonFile } from '../settings/settings-file';
import type { AccountRouting, RoutingCondition, RoutingRule, RoutingRules } from './routing-rules';

/** A connector id: `salesforce`, `hubspot`, or whatever connector is added next. */
const DESTINATION_ID = /^[a-z][a-z0-9_-]{0,62}$/;
const NOWHERE: AccountRouting = { always: [], rules: [] };

/**
 * Reads and validates ROUTING_RULES_FILE. Every problem found is added to `problems`; when there is
 * one, the result must not be used.
 */
export function loadRoutingRules(file: string, problems: SettingsProblems): RoutingRules {
  const json = readJsonFile(file, problems);
  return problems.list.length === 0
    ? parseRoutingRules(json, problems)
    : { default: NOWHERE, accounts: new Map() };
}

function parseRoutingRules(json: unknown, problems: SettingsProblems): RoutingRules {
  const file = problems.object(json, '', ['default', 'accounts']) ?? {};
  const accounts = new Map<string, AccountRouting>();
  if (file['accounts'] !== undefined) {
    if (isPlainObject(file['accounts'])) {
      for (const [accountId, routing] of Object.entries(file['accounts'])) {
        if (accountId.trim() === '') problems.add('accounts', 'account ids must not be blank');
        accounts.set(accountId, parseAccountRouting(routing, `accounts.${accountId}`, problems));
      }
    } else {
      problems.add('accounts', 'must be an object of account id → routing', file['accounts']);
    }
  }
  return {
    default:
      file['default'] === undefined ? NOWHERE : parseAccountRouting(file['default'], 'default', problems),
    accounts,
  };
}

function parseAccountRouting(value: unknown, path: string, problems: SettingsProblems): AccountRouting {
  const routing = problems.object(value, path, ['always', 'rules']);
  if (!routing) return NOWHERE;
  const always =
    routing['always'] === undefined
      ? []
      : destinations(routing['always'], join(path, 'always'), problems, { allowEmpty: true });
  const rules: RoutingRule[] = [];
  if (routing['rules'] !== undefined) {
    if (Array.isArray(routing['rules'])) {
      routing['rules'].forEach((rule, index) => {
        const parsed = parseRule(rule, `${join(path, 'rules')}[${index}]`, problems);
        if (parsed) rules.push(parsed);
      });
    } else {
      problems.add(join(path, 'rules'), 'must be an array of rules', routing['rules']);
    }
  }
  return { always, rules };
}

function parseRule(value: unknown, path: string, problems: SettingsProblems): RoutingRule | undefined {
  const rule = problems.object(value, path, ['when', 'destinations']);
  if (!rule) return undefined;
  const when = problems.object(rule['when'] ?? {}, join(path, 'when'), [
    'tier',
    'role',
    'state',
    'kind',
    'min_score',
  ]);
  const condition: RoutingCondition = {};
  const list = (key: string, expected: string, check: (item: string) => string | undefined) =>
    when?.[key] === undefined
      ? undefined
      : problems.stringList(when[key], join(path, `when.${key}`), expected, check);
  const among = (allowed: readonly string[]) => (item: string) => (allowed.includes(item) ? item : undefined);

  const tier = list('tier', `one of ${LEAD_TIERS.join(', ')}`, among(LEAD_TIERS));
  const role = list('role', `one of ${LEAD_ROLES.join(', ')}`, among(LEAD_ROLES));
  const kind = list('kind', `one of ${LEAD_KINDS.join(', ')}`, among(LEAD_KINDS));
  const state = list('state', 'a US state (two-letter code or name)', normalizeState);
  if (tier) condition.tier = tier as RoutingCondition['tier'];
  if (role) condition.role = role as RoutingCondition['role'];
  if (kind) condition.kind = kind as RoutingCondition['kind'];
  if (state) condition.state = state;
  const minScore =
    when?.['min_score'] === undefined
      ? undefined
      : problems.integer(when['min_score'], join(path, 'when.min_score'), 0, 100);
  if (minScore !== undefined) condition.min_score = minScore;
  return {
    when: condition,
    destinations: destinations(rule['destinations'], join(path, 'destinations'), problems),
  };
}

function destinations(
  value: unknown,
  path: string,
  problems: SettingsProblems,
  options?: { allowEmpty: boolean },
): string[] {
  const expected = 'a connector id (lower-case letters, digits, - or _, e.g. "hubspot")';
  const isId = (item: string) => (DESTINATION_ID.test(item) ? item : undefined);
  return problems.stringList(value, path, expected, isId, options) ?? [];
}
