import type { Scope } from '../api/read-api.types';

/** The console's views and the scope each needs: a view the token may not use is not shown. */
export const VIEWS = [
  { path: '/leads', label: 'Leads', scope: 'read' },
  { path: '/speed-to-lead', label: 'Speed to lead', scope: 'read' },
  { path: '/dead-letters', label: 'Dead letters', scope: 'read' },
  { path: '/erasures', label: 'Erasures', scope: 'erase' },
] as const satisfies ReadonlyArray<{ path: string; label: string; scope: Scope }>;

export type ViewPath = (typeof VIEWS)[number]['path'];

export const viewsFor = (scopes: readonly Scope[]) => VIEWS.filter((view) => scopes.includes(view.scope));

export const may = (scopes: readonly Scope[], scope: Scope) => scopes.includes(scope);
