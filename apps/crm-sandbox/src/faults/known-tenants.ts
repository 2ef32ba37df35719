import { BadRequestException } from '@nestjs/common';
import type { Crm } from '../common/crm';

/**
 * The org ids and portal ids the sandbox hosts, so that faults can only target tenants that exist. A CRM
 * not listed (Follow Up Boss, a generated fake CRM: their modules keep their tenants to themselves) takes
 * any tenant: faults set for one it does not host simply never apply.
 */
export type KnownTenants = Partial<Record<Crm, string[]>>;

export const KNOWN_TENANTS = Symbol('KNOWN_TENANTS');

/** A `?tenant=` of the admin API: undefined when unset, else a tenant the CRM hosts (else 400). */
export function knownTenant(tenants: KnownTenants, crm: Crm, tenant: string | undefined): string | undefined {
  if (tenant === undefined || tenant === '') return undefined;
  const known = tenants[crm];
  if (known !== undefined && !known.includes(tenant)) {
    throw new BadRequestException([`tenant: ${crm} has no tenant "${tenant}"; known: ${known.join(', ')}`]);
  }
  return tenant;
}
