import {
  erasureTargetOf,
  type ConnectorError,
  type Credential,
  type CrmEraser,
  type ErasureCommand,
  type ErasureContext,
  type ErasureReport,
} from '@lead-delivery/connector-kit';
import { hubspotCredentialOf, type HubspotAccounts } from '../accounts/hubspot-accounts';
import type { HubspotPortal } from '../hubspot-api/hubspot-api.client';
import { classifyHubspotFailure } from '../hubspot-failure.classifier';
import { noteCarriesLeadMarker } from '../note/lead-marker';
import type { HubspotErasureApi } from './hubspot-erasure.client';

/**
 * The contact properties the connector writes that can name or describe the person (the default
 * mapping's; hubspot.eraser.spec.ts checks the list against the mapper). Tier status and lifecycle stage
 * are kept: they describe the platform's scoring, not the person.
 */
export const PERSONAL_CONTACT_PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'phone',
  'address',
  'city',
  'state',
  'zip',
  'message',
  'rdc_lead_id',
  'rdc_person_key',
  'rdc_role',
  'rdc_mls_id',
  'rdc_listing_url',
  'rdc_tier',
  'rdc_score',
  'rdc_list_price',
  'rdc_beds',
  'rdc_baths',
  'rdc_probability',
  'rdc_budget_min',
  'rdc_budget_max',
  'rdc_pre_approved',
] as const;

/**
 * Erases a person from an account's portal. `gdpr-delete` (the default): HubSpot's GDPR delete of each
 * contact the person's leads were delivered to, which also removes its engagements. `remove-ours` (for
 * portals whose owner keeps the contact): archive the notes this platform wrote for the person's leads
 * (found by their lead marker) and blank the properties it writes. A contact already gone counts as
 * erased, so a redelivered request finds nothing left to do. Every call draws on the portal's call budget,
 * the one its deliveries use.
 */
export class HubspotEraser implements CrmEraser {
  readonly destination = 'hubspot';

  constructor(
    private readonly accounts: HubspotAccounts,
    private readonly api: HubspotErasureApi,
  ) {}

  async erase(command: ErasureCommand, { signal, budget }: ErasureContext): Promise<ErasureReport> {
    const target = erasureTargetOf(command, this.accounts, 'no HubSpot token is configured');
    const { account, recordIds: contactIds, leads } = target;
    const portal: HubspotPortal = {
      credentials: target.credentials,
      sharedPortal: account.sharedPortal,
      budget,
    };
    const counts: Record<string, number> = {
      contacts: contactIds.length,
      leads_without_contact: target.withoutRecord,
    };
    if ((account.erasure ?? 'gdpr-delete') === 'gdpr-delete') {
      counts['contacts_deleted'] = 0;
      for (const contactId of contactIds) {
        if ((await this.api.gdprDeleteContact(portal, contactId, signal)) === 'deleted') {
          counts['contacts_deleted'] += 1;
        }
      }
      return { method: 'gdpr_delete', counts };
    }

    const blanked = [...new Set([...PERSONAL_CONTACT_PROPERTIES, ...Object.keys(account.fields)])];
    counts['notes_archived'] = 0;
    counts['contacts_blanked'] = 0;
    for (const contactId of contactIds) {
      const ours = (await this.api.notesOf(portal, contactId, signal))
        .filter((note) => leads.some((lead) => noteCarriesLeadMarker(note.body, lead)))
        .map((note) => note.id);
      if (ours.length > 0) await this.api.archiveNotes(portal, ours, signal);
      counts['notes_archived'] += ours.length;
      if ((await this.api.blankContact(portal, contactId, blanked, signal)) === 'blanked') {
        counts['contacts_blanked'] += 1;
      }
    }
    return { method: 'remove_ours', counts };
  }

  classify(error: unknown): ConnectorError {
    return classifyHubspotFailure(error);
  }

  credentialOf(accountId: string): Credential {
    return hubspotCredentialOf(this.accounts.of(accountId));
  }
}
