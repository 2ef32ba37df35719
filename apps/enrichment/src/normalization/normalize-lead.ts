import type { Lead, NormalizedLead } from '@lead-delivery/contracts';
import { normalizeEmail } from './normalize-email.util';
import { normalizeName } from './normalize-name.util';
import { normalizePhone } from './normalize-phone.util';
import { normalizeState } from './normalize-state.util';
import { normalizeZip } from './normalize-zip.util';

/** The lead's contact and address in canonical form; a value that cannot be normalised is left out. */
export function normalizeLead(lead: Lead): NormalizedLead {
  const firstName = normalizeName(lead.contact.first_name);
  const lastName = normalizeName(lead.contact.last_name);
  const fullName = [firstName, lastName].filter(Boolean).join(' ');
  const street = lead.property?.address?.normalize('NFC').trim().replace(/\s+/g, ' ') || undefined;
  const city = normalizeName(lead.property?.city);
  const state = normalizeState(lead.property?.state);
  const zip = normalizeZip(lead.property?.zip_code);
  return withoutUndefined({
    email: normalizeEmail(lead.contact.email),
    phone_e164: normalizePhone(lead.contact.phone),
    first_name: firstName,
    last_name: lastName,
    full_name: fullName || undefined,
    address: formatAddress(street, city, state, zip),
    city,
    state,
    zip_code: zip,
  });
}

/** `2104 Lakeview Dr, Austin, TX 78704`, with whatever parts are known. */
function formatAddress(street?: string, city?: string, state?: string, zip?: string): string | undefined {
  const region = [state, zip].filter(Boolean).join(' ');
  return [street, city, region].filter(Boolean).join(', ') || undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
