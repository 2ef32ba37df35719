import { Inject, Injectable } from '@nestjs/common';
import { FAULT_DEFAULTS, FaultInjector, type FaultDefaults } from '../faults/fault-injector.service';
import { randomSeed, seededRandom } from '../faults/seeded-random';
import { NOTE_PROPERTIES, contactProperties, type PropertySet } from './crm-properties';
import { HubspotConfig } from './hubspot.config';
import {
  HubspotError,
  invalidJson,
  objectNotFound,
  propertyValuesError,
  validationError,
  type HubspotErrorFields,
  type PropertyProblem,
} from './hubspot.error';
import type { PortalData, StoredContact, StoredNote } from './hubspot-store.service';
import { EMAIL, propertyProblem, readProperties } from './property-validator';

const MAX_BATCH_INPUTS = 100;
/** The v4 associations batch read takes more ids per call than the object endpoints (changelog, 2025-02-10). */
const MAX_ASSOCIATION_READ_INPUTS = 1_000;
/** Associations of one object per page of a v4 batch read; more pages are asked for with `after`. */
export const ASSOCIATIONS_PAGE_SIZE = 500;
/** Note → contact, HUBSPOT_DEFINED (the SDK's AssociationTypes.noteToContact). */
const NOTE_TO_CONTACT = 202;
const CONTACT_TO_NOTE = 201;
/** CRM object types by the names the API accepts for them (plural, singular, object type id). */
const OBJECT_TYPES: Record<string, 'contact' | 'note'> = {
  contacts: 'contact',
  contact: 'contact',
  '0-1': 'contact',
  notes: 'note',
  note: 'note',
  '0-46': 'note',
};
const NOTE_DEFAULT_PROPERTIES = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

const DEFAULT_CONTACT_PROPERTIES = [
  'createdate',
  'email',
  'firstname',
  'hs_object_id',
  'lastmodifieddate',
  'lastname',
];

/** A StandardError in a batch response's `errors`. */
export interface StandardError extends HubspotErrorFields {
  status: 'error';
  message: string;
}

export interface BatchResponse {
  status: 'COMPLETE';
  results: unknown[];
  numErrors?: number;
  errors?: StandardError[];
  startedAt: string;
  completedAt: string;
}

interface Prepared<T> {
  index: number;
  traceId?: string;
  error?: StandardError;
  work?: T;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * HubSpot's CRM semantics for contacts and notes: upsert by email (or a unique property), batch rules
 * (≤100 inputs, duplicate ids fail the call, per-input errors only when every input carries an
 * `objectWriteTraceId`, else the call fails with 400), notes associated to contacts with type 202.
 */
@Injectable()
export class HubspotCrm {
  readonly contactProperties: PropertySet;
  private readonly shuffleRandom: () => number;

  constructor(
    private readonly config: HubspotConfig,
    private readonly faults: FaultInjector,
    @Inject(FAULT_DEFAULTS) defaults: FaultDefaults,
  ) {
    this.contactProperties = contactProperties(config);
    this.shuffleRandom = seededRandom(defaults.seed ?? randomSeed());
  }

  batchUpsertContacts(portal: PortalData, body: unknown): { status: 200 | 207; body: BatchResponse } {
    const startedAt = Date.now();
    const inputs = batchInputs(body);
    const keys = inputs.map((input, index) => {
      const id = input['id'];
      const idProperty = input['idProperty'];
      if (typeof id !== 'string' || id === '')
        throw invalidJson(`inputs[${index}].id: expected a non-empty string`);
      if (
        idProperty !== 'email' &&
        !this.config.HUBSPOT_CONTACT_UNIQUE_PROPERTIES.includes(String(idProperty))
      ) {
        throw validationError(
          idProperty === undefined
            ? `inputs[${index}].idProperty is required to upsert (email or a unique property)`
            : `Unable to perform update/upsert by non-unique 0-1 property ${String(idProperty)}`,
        );
      }
      return { id, idProperty: idProperty as string };
    });
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const { id, idProperty } of keys) {
      const key = `${idProperty}:${id.toLowerCase()}`;
      if (seen.has(key)) duplicates.add(id.toLowerCase());
      seen.add(key);
    }
    if (duplicates.size > 0) {
      const ids = [...duplicates];
      throw validationError(`Duplicate IDs found in batch input: [${ids.join(', ')}]. IDs must be unique`, {
        context: { ids },
      });
    }

    const rules = this.faults.validationRules('hubspot', portal.portal.portalId);
    const claimedEmails = new Map<string, number>();
    const prepared = inputs.map(
      (input, index): Prepared<{ values: Record<string, string>; existing?: StoredContact }> => {
        const { id, idProperty } = keys[index] as { id: string; idProperty: string };
        const traceId = traceIdOf(input);
        const { values, problems } = readProperties(
          this.contactProperties,
          input['properties'],
          portal.portal.portalId,
          { rules },
        );
        if (idProperty === 'email' && !EMAIL.test(id)) {
          problems.unshift(
            propertyProblem(
              'email',
              'INVALID_EMAIL',
              `Email address ${id} is invalid`,
              portal.portal.portalId,
            ),
          );
        }
        if (problems.length > 0)
          return {
            index,
            traceId,
            error: inputError(propertyValuesError(problems), 'VALIDATION_ERROR', id, traceId, problems),
          };
        values[idProperty] = idProperty === 'email' ? id.toLowerCase() : id;
        const existing = portal.findContact(idProperty, id);
        const email = values['email'];
        if (email) {
          const owner = portal.findContact('email', email);
          const claimedBy = claimedEmails.get(email);
          if ((owner && owner !== existing) || (claimedBy !== undefined && claimedBy !== index)) {
            const ownerId = owner?.id ?? 'in this batch';
            return {
              index,
              traceId,
              error: inputError(`Contact already exists. Existing ID: ${ownerId}`, 'CONFLICT', id, traceId),
            };
          }
          claimedEmails.set(email, index);
        }
        return { index, traceId, work: { values, existing } };
      },
    );

    const failed = prepared.filter((item) => item.error);
    const withTraceIds = inputs.length > 0 && prepared.every((item) => item.traceId !== undefined);
    if (failed.length > 0 && !withTraceIds) throw wholeRequestError(failed[0]?.error as StandardError);

    const results = prepared.flatMap(({ work, traceId }) => {
      if (!work) return [];
      const contact = this.saveContact(portal, work.values, work.existing);
      return [
        {
          ...contactView(contact),
          new: work.existing === undefined,
          ...(traceId ? { objectWriteTraceId: traceId } : {}),
        },
      ];
    });
    return batchResponse(
      this.ordered(results),
      failed.map((item) => item.error as StandardError),
      startedAt,
      200,
    );
  }

  createContact(portal: PortalData, body: unknown): StoredContact {
    const { properties } = objectBody(body);
    const { values, problems } = readProperties(this.contactProperties, properties, portal.portal.portalId, {
      rules: this.faults.validationRules('hubspot', portal.portal.portalId),
    });
    if (problems.length > 0) throw validationError(propertyValuesError(problems));
    const existing = values['email'] ? portal.findContact('email', values['email']) : undefined;
    if (existing)
      throw new HubspotError(409, `Contact already exists. Existing ID: ${existing.id}`, {
        category: 'CONFLICT',
      });
    return this.saveContact(portal, values, undefined);
  }

  updateContact(
    portal: PortalData,
    contactId: string,
    idProperty: string | undefined,
    body: unknown,
  ): StoredContact {
    const existing = this.findContact(portal, contactId, idProperty);
    const { values, problems } = readProperties(
      this.contactProperties,
      objectBody(body).properties,
      portal.portal.portalId,
      {
        rules: this.faults.validationRules('hubspot', portal.portal.portalId),
      },
    );
    if (problems.length > 0) throw validationError(propertyValuesError(problems));
    const owner = values['email'] ? portal.findContact('email', values['email']) : undefined;
    if (owner && owner !== existing)
      throw new HubspotError(409, `Contact already exists. Existing ID: ${owner.id}`, {
        category: 'CONFLICT',
      });
    return this.saveContact(portal, values, existing);
  }

  findContact(portal: PortalData, contactId: string, idProperty: string | undefined): StoredContact {
    const contact =
      idProperty === undefined || idProperty === 'hs_object_id'
        ? portal.contacts.get(contactId)
        : portal.findContact(idProperty, contactId);
    if (!contact) throw objectNotFound();
    return contact;
  }

  /** A contact as `GET` returns it: the default properties plus those asked for. */
  readView(contact: StoredContact, properties: string[] = []) {
    return contactView(contact, [...DEFAULT_CONTACT_PROPERTIES, ...properties]);
  }

  createNote(portal: PortalData, body: unknown): StoredNote {
    const prepared = this.prepareNote(portal, objectBody(body), 0);
    if (prepared.error) throw wholeRequestError(prepared.error);
    return this.saveNote(portal, prepared.work as { values: Record<string, string>; contactIds: string[] });
  }

  batchCreateNotes(portal: PortalData, body: unknown): { status: 201 | 207; body: BatchResponse } {
    const startedAt = Date.now();
    const prepared = batchInputs(body).map((input, index) => this.prepareNote(portal, input, index));
    const failed = prepared.filter((item) => item.error);
    const withTraceIds = prepared.length > 0 && prepared.every((item) => item.traceId !== undefined);
    if (failed.length > 0 && !withTraceIds) throw wholeRequestError(failed[0]?.error as StandardError);
    const results = prepared.flatMap(({ work, traceId }) =>
      work
        ? [{ ...noteView(this.saveNote(portal, work)), ...(traceId ? { objectWriteTraceId: traceId } : {}) }]
        : [],
    );
    return batchResponse(
      this.ordered(results),
      failed.map((item) => item.error as StandardError),
      startedAt,
      201,
    );
  }

  associateNote(portal: PortalData, noteId: string, contactId: string) {
    const note = portal.notes.get(noteId);
    if (!note || !portal.contacts.has(contactId)) throw objectNotFound();
    if (!note.contactIds.includes(contactId)) {
      portal.notes.set(noteId, {
        ...note,
        contactIds: [...note.contactIds, contactId],
        updatedAt: Date.now(),
      });
    }
    const spec = (associationTypeId: number) => ({
      associationCategory: 'HUBSPOT_DEFINED',
      associationTypeId,
    });
    const now = iso(Date.now());
    return {
      status: 'COMPLETE',
      results: [
        { from: { id: noteId }, to: { id: contactId }, associationSpec: spec(NOTE_TO_CONTACT) },
        { from: { id: contactId }, to: { id: noteId }, associationSpec: spec(CONTACT_TO_NOTE) },
      ],
      startedAt: now,
      completedAt: now,
    };
  }

  /**
   * Notes by id (`POST /crm/v3/objects/notes/batch/read`): the default properties plus those asked for
   * (`null` when unset, unknown names left out); ids that name no note come back as one OBJECT_NOT_FOUND
   * error (207). The sandbox never archives, so `archived=true` finds nothing.
   */
  batchReadNotes(
    portal: PortalData,
    body: unknown,
    archived: boolean,
  ): { status: 200 | 207; body: BatchResponse } {
    const startedAt = Date.now();
    const request = objectBody(body);
    const idProperty = request['idProperty'];
    if (idProperty !== undefined && idProperty !== 'hs_object_id') {
      throw validationError(`Notes can only be read by hs_object_id, not by ${JSON.stringify(idProperty)}`);
    }
    const asked = stringList(request['properties'], 'properties');
    stringList(request['propertiesWithHistory'], 'propertiesWithHistory');
    const ids = batchInputs(body).map((input, index) => {
      const id = input['id'];
      if ((typeof id !== 'string' || id === '') && typeof id !== 'number')
        throw invalidJson(`inputs[${index}].id: expected a non-empty string`);
      return String(id);
    });
    const properties = [
      ...NOTE_DEFAULT_PROPERTIES,
      ...asked.filter((name) => NOTE_PROPERTIES.get(name) && !NOTE_DEFAULT_PROPERTIES.includes(name)),
    ];
    const found: StoredNote[] = [];
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const note = archived ? undefined : portal.notes.get(id);
      if (note) found.push(note);
      else missing.push(id);
    }
    const results = found.map((note) => {
      const view = noteView(note);
      const all: Record<string, string | null> = view.properties;
      return {
        ...view,
        properties: Object.fromEntries(properties.map((name) => [name, all[name] ?? null])),
      };
    });
    const errors: StandardError[] =
      missing.length === 0
        ? []
        : [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message:
                'Could not get some NOTE objects, they may be deleted or not exist. Check that ids are valid.',
              context: { ids: missing },
            },
          ];
    return batchResponse(this.ordered(results), errors, startedAt, 200);
  }

  /**
   * v4 associations batch read (`POST /crm/v4/associations/{from}/{to}/batch/read`) between contacts and
   * notes: per input, up to ASSOCIATIONS_PAGE_SIZE associated ids (oldest first) and `paging.next.after`
   * when there are more; an object with none (or that does not exist) is an error entry
   * `crm.associations.NO_ASSOCIATIONS_FOUND`, and the answer then is 207.
   */
  batchReadAssociations(
    portal: PortalData,
    fromObjectType: string,
    toObjectType: string,
    body: unknown,
  ): { status: 200 | 207; body: BatchResponse } {
    const startedAt = Date.now();
    const from = objectTypeOf(fromObjectType);
    const to = objectTypeOf(toObjectType);
    if (from === to) {
      throw validationError(`There are no associations from ${from} to ${to} in this portal`);
    }
    const inputs = batchInputs(body, MAX_ASSOCIATION_READ_INPUTS).map((input, index) => {
      const id = input['id'];
      const after = input['after'];
      if ((typeof id !== 'string' || id === '') && typeof id !== 'number')
        throw invalidJson(`inputs[${index}].id: expected a non-empty string`);
      if (after !== undefined && typeof after !== 'string')
        throw invalidJson(`inputs[${index}].after: expected a string`);
      return { id: String(id), offset: after === undefined ? 0 : offsetOf(after, index) };
    });
    const results: unknown[] = [];
    const errors: StandardError[] = [];
    for (const { id, offset } of inputs) {
      const associated = this.associatedIds(portal, from, id);
      if (associated.length === 0) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${to} is associated with ${from} ${id}.`,
          context: { fromObjectId: [id], fromObjectType: [from], toObjectType: [to] },
        });
        continue;
      }
      const page = associated.slice(offset, offset + ASSOCIATIONS_PAGE_SIZE);
      const next = offset + ASSOCIATIONS_PAGE_SIZE;
      const typeId = from === 'contact' ? CONTACT_TO_NOTE : NOTE_TO_CONTACT;
      results.push({
        from: { id },
        to: page.map((toId) => ({
          toObjectId: Number(toId),
          associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId, label: null }],
        })),
        ...(next < associated.length ? { paging: { next: { after: afterOf(next) } } } : {}),
      });
    }
    return batchResponse(this.ordered(results), errors, startedAt, 200);
  }

  private associatedIds(portal: PortalData, from: 'contact' | 'note', id: string): string[] {
    if (from === 'note') return portal.notes.get(id)?.contactIds ?? [];
    return [...portal.notes.values()]
      .filter((note) => note.contactIds.includes(id))
      .map((note) => note.id)
      .sort((a, b) => Number(a) - Number(b));
  }

  private prepareNote(
    portal: PortalData,
    input: Record<string, unknown>,
    index: number,
  ): Prepared<{ values: Record<string, string>; contactIds: string[] }> {
    const traceId = traceIdOf(input);
    const { values, problems } = readProperties(
      NOTE_PROPERTIES,
      input['properties'],
      portal.portal.portalId,
      { required: true },
    );
    if (problems.length > 0) {
      return {
        index,
        traceId,
        error: inputError(propertyValuesError(problems), 'VALIDATION_ERROR', undefined, traceId, problems),
      };
    }
    const associations = input['associations'] ?? [];
    if (!Array.isArray(associations)) throw invalidJson(`inputs[${index}].associations: expected an array`);
    const contactIds: string[] = [];
    for (const [position, association] of associations.entries()) {
      const { to, types } = (association ?? {}) as { to?: { id?: unknown }; types?: unknown };
      const targetId = to?.id;
      if ((typeof targetId !== 'string' && typeof targetId !== 'number') || !Array.isArray(types)) {
        throw invalidJson(
          `associations[${position}]: expected {"to": {"id": …}, "types": [{"associationCategory", "associationTypeId"}]}`,
        );
      }
      const valid = types.some(
        (type: { associationCategory?: unknown; associationTypeId?: unknown }) =>
          type?.associationCategory === 'HUBSPOT_DEFINED' && type?.associationTypeId === NOTE_TO_CONTACT,
      );
      if (!valid) {
        const message = `associations[${position}]: notes are associated to contacts with HUBSPOT_DEFINED association type ${NOTE_TO_CONTACT}, got ${JSON.stringify(types)}`;
        return { index, traceId, error: inputError(message, 'VALIDATION_ERROR', undefined, traceId) };
      }
      if (!portal.contacts.has(String(targetId))) {
        const message = `One or more associations are invalid: contact ${String(targetId)} does not exist`;
        return { index, traceId, error: inputError(message, 'VALIDATION_ERROR', undefined, traceId) };
      }
      contactIds.push(String(targetId));
    }
    return { index, traceId, work: { values, contactIds } };
  }

  private saveContact(
    portal: PortalData,
    values: Record<string, string>,
    existing: StoredContact | undefined,
  ): StoredContact {
    const now = Date.now();
    const contact: StoredContact = {
      id: existing?.id ?? portal.nextId(),
      properties: { ...existing?.properties, ...values },
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      writes: (existing?.writes ?? 0) + 1,
    };
    portal.putContact(contact);
    return contact;
  }

  private saveNote(
    portal: PortalData,
    { values, contactIds }: { values: Record<string, string>; contactIds: string[] },
  ): StoredNote {
    const now = Date.now();
    const note: StoredNote = {
      id: portal.nextId(),
      properties: values,
      contactIds,
      createdAt: now,
      updatedAt: now,
    };
    portal.notes.set(note.id, note);
    return note;
  }

  /** HubSpot does not promise results in input order; the sandbox shuffles them (seeded) unless told not to. */
  private ordered<T>(results: T[]): T[] {
    if (!this.config.HUBSPOT_SHUFFLE_BATCH_RESULTS) return results;
    const shuffled = [...results];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(this.shuffleRandom() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
    }
    return shuffled;
  }
}

export function contactView(contact: StoredContact, properties?: string[]) {
  const all: Record<string, string> = {
    ...contact.properties,
    createdate: iso(contact.createdAt),
    lastmodifieddate: iso(contact.updatedAt),
    hs_object_id: contact.id,
  };
  const shown = properties
    ? Object.fromEntries(properties.filter((name) => name in all).map((name) => [name, all[name] as string]))
    : all;
  return {
    id: contact.id,
    properties: shown,
    createdAt: iso(contact.createdAt),
    updatedAt: iso(contact.updatedAt),
    archived: false,
  };
}

export function noteView(note: StoredNote) {
  return {
    id: note.id,
    properties: {
      ...note.properties,
      hs_createdate: iso(note.createdAt),
      hs_lastmodifieddate: iso(note.updatedAt),
      hs_object_id: note.id,
    },
    createdAt: iso(note.createdAt),
    updatedAt: iso(note.updatedAt),
    archived: false,
  };
}

function objectBody(body: unknown): Record<string, unknown> & { properties?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidJson('expected a JSON object with "properties"');
  }
  return body as Record<string, unknown>;
}

function batchInputs(body: unknown, limit = MAX_BATCH_INPUTS): Record<string, unknown>[] {
  const inputs = objectBody(body)['inputs'];
  if (!Array.isArray(inputs)) throw invalidJson('inputs: expected an array');
  if (inputs.length > limit) {
    throw validationError(`Too many inputs: ${inputs.length}; a batch takes at most ${limit}`, {
      context: { limit: [String(limit)] },
    });
  }
  return inputs.map((input, index) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw invalidJson(`inputs[${index}]: expected an object`);
    return input as Record<string, unknown>;
  });
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw invalidJson(`${name}: expected an array of strings`);
  return value as string[];
}

function objectTypeOf(name: string): 'contact' | 'note' {
  const type = OBJECT_TYPES[name.toLowerCase()];
  if (!type) throw validationError(`Unable to infer object type from: ${name}`);
  return type;
}

/** Paging cursors are opaque to clients: base64 of the offset. */
const afterOf = (offset: number) => Buffer.from(String(offset)).toString('base64');

function offsetOf(after: string, index: number): number {
  const text = Buffer.from(after, 'base64').toString('utf8');
  if (!/^\d+$/.test(text))
    throw validationError(`inputs[${index}].after: ${after} is not a paging cursor of this API`);
  return Number(text);
}

function traceIdOf(input: Record<string, unknown>): string | undefined {
  const traceId = input['objectWriteTraceId'];
  return typeof traceId === 'string' && traceId !== '' ? traceId : undefined;
}

function inputError(
  message: string,
  category: string,
  id: string | undefined,
  traceId: string | undefined,
  problems: PropertyProblem[] = [],
): StandardError {
  return {
    status: 'error',
    category,
    message,
    context: {
      ...(id !== undefined ? { ids: [id] } : {}),
      ...(traceId ? { objectWriteTraceId: [traceId] } : {}),
    },
    errors: problems.map((problem) => ({ message: problem.message, code: problem.error, in: problem.name })),
  };
}

function wholeRequestError({ status: _status, message, ...fields }: StandardError): HubspotError {
  return new HubspotError(fields.category === 'CONFLICT' ? 409 : 400, message, fields);
}

function batchResponse<S extends 200 | 201>(
  results: unknown[],
  errors: StandardError[],
  startedAt: number,
  ok: S,
): { status: S | 207; body: BatchResponse } {
  const body: BatchResponse = {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: iso(startedAt),
    completedAt: iso(Date.now()),
  };
  return { status: errors.length > 0 ? 207 : ok, body };
}
