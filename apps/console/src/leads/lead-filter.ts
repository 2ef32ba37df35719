import type { LeadFilter } from '../api/read-api.types';

export const TIERS = ['hot', 'warm', 'cold'] as const;
export const STATUSES = ['pending', 'delivered', 'failed', 'dead_lettered', 'skipped', 'suppressed'] as const;
export const FILTER_FIELDS = ['q', 'account', 'since', 'until', 'tier', 'status', 'destination'] as const;

/** The filter in the page's URL (so a search can be shared and Back works); blank fields are left out. */
export function filterFromParams(params: URLSearchParams): LeadFilter {
  const filter: LeadFilter = {};
  for (const field of FILTER_FIELDS) {
    const value = params.get(field)?.trim();
    if (value) filter[field] = field === 'since' || field === 'until' ? toIso(value) : value;
  }
  const cursor = params.get('cursor');
  if (cursor) filter.cursor = cursor;
  return filter;
}

/** `<input type="datetime-local">` gives local time without a zone; the API wants an ISO date-time. */
export function toIso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function paramsFromForm(form: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = form[field]?.trim();
    if (value) params.set(field, value);
  }
  return params;
}
