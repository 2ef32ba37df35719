import type { Crm } from '../common/crm';

/** The org ids and portal ids the sandbox hosts, so that faults can only target tenants that exist. */
export type KnownTenants = Record<Crm, string[]>;

export const KNOWN_TENANTS = Symbol('KNOWN_TENANTS');
