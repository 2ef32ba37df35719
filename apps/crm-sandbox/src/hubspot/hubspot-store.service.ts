import { Inject, Injectable } from '@nestjs/common';
import { HUBSPOT_PORTALS, type HubspotPortal } from './hubspot-portals';
import { HubspotConfig } from './hubspot.config';

export interface StoredContact {
  id: string;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  /** How many saves created or changed it: a retry storm shows up here. */
  writes: number;
}

export interface StoredNote {
  id: string;
  properties: Record<string, string>;
  contactIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** The records of one portal (its API usage: ApiUsage). */
export class PortalData {
  readonly contacts = new Map<string, StoredContact>();
  /** Unique property → lower-cased value → contact id. */
  private readonly indexes = new Map<string, Map<string, string>>();
  readonly notes = new Map<string, StoredNote>();
  private sequence = 0;
  /** When the admin API's token expiry first turned this portal's token away. */
  tokenExpiredAt?: number;

  constructor(
    readonly portal: HubspotPortal,
    /** `email` and the unique custom properties. */
    readonly uniqueProperties: string[],
  ) {
    for (const property of uniqueProperties) this.indexes.set(property, new Map());
  }

  nextId(): string {
    this.sequence += 1;
    return String(100_000_000 + this.sequence);
  }

  /** A contact by a property with unique values (`email` or a unique custom property), case-insensitively. */
  findContact(property: string, value: string): StoredContact | undefined {
    const id = this.indexes.get(property)?.get(value.toLowerCase());
    return id === undefined ? undefined : this.contacts.get(id);
  }

  putContact(contact: StoredContact): void {
    const previous = this.contacts.get(contact.id);
    for (const [property, index] of this.indexes) {
      const before = previous?.properties[property];
      if (before) index.delete(before.toLowerCase());
      const after = contact.properties[property];
      if (after) index.set(after.toLowerCase(), contact.id);
    }
    this.contacts.set(contact.id, contact);
  }

  removeContact(id: string): void {
    const contact = this.contacts.get(id);
    if (!contact) return;
    for (const [property, index] of this.indexes) {
      const value = contact.properties[property];
      if (value) index.delete(value.toLowerCase());
    }
    this.contacts.delete(id);
  }

  clear(): void {
    this.contacts.clear();
    for (const index of this.indexes.values()) index.clear();
    this.notes.clear();
    delete this.tokenExpiredAt;
  }
}

@Injectable()
export class HubspotStore {
  private readonly portals: Map<string, PortalData>;

  constructor(@Inject(HUBSPOT_PORTALS) portals: HubspotPortal[], config: HubspotConfig) {
    const unique = ['email', ...config.HUBSPOT_CONTACT_UNIQUE_PROPERTIES];
    this.portals = new Map(portals.map((portal) => [portal.portalId, new PortalData(portal, unique)]));
  }

  portal(portalId: string): PortalData | undefined {
    return this.portals.get(portalId);
  }

  byToken(token: string | undefined): PortalData | undefined {
    return token === undefined
      ? undefined
      : [...this.portals.values()].find(({ portal }) => portal.tokens.includes(token));
  }

  all(): PortalData[] {
    return [...this.portals.values()];
  }

  reset(): void {
    for (const portal of this.portals.values()) portal.clear();
  }
}
