import type { HubspotItemError } from './hubspot-api.error';

/** A v4 associations batch read answer, as the SDK deserialises it (`from` becomes `_from`). */
export interface AssociationsAnswer {
  results?: {
    _from?: { id?: string };
    to?: { toObjectId?: string | number }[];
    paging?: { next?: { after?: string } };
  }[];
  errors?: BatchError[];
}

/** A notes batch read answer. */
export interface NotesAnswer {
  results?: { id?: string; properties?: Record<string, string | null> }[];
  errors?: BatchError[];
}

interface BatchError {
  category?: string;
  subCategory?: unknown;
  message?: string;
  context?: Record<string, string[]>;
}

/** HubSpot's answer for an object that has no associations of the type asked for: not a failure. */
const NO_ASSOCIATIONS = 'crm.associations.NO_ASSOCIATIONS_FOUND';
/** The category of ids a batch read could not find (notes deleted since their association was read). */
const NOT_FOUND = 'OBJECT_NOT_FOUND';

/** What one page of associations says about each contact asked for. */
export interface AssociationsPage {
  /** Contact id → the note ids of this page (none: answered, without notes). */
  noteIds: Map<string, string[]>;
  /** Contacts with more notes than this page holds: ask again with `after`. */
  next: { id: string; after: string }[];
  /** Contacts whose notes HubSpot did not tell. */
  failed: Map<string, HubspotItemError>;
}

export function readAssociationsPage(contactIds: string[], answer: AssociationsAnswer): AssociationsPage {
  const asked = new Set(contactIds);
  const page: AssociationsPage = { noteIds: new Map(), next: [], failed: new Map() };
  for (const result of answer.results ?? []) {
    const id = result._from?.id === undefined ? undefined : String(result._from.id);
    if (id === undefined || !asked.has(id)) continue;
    const noteIds = (result.to ?? []).flatMap(({ toObjectId }) =>
      toObjectId === undefined ? [] : [String(toObjectId)],
    );
    page.noteIds.set(id, [...(page.noteIds.get(id) ?? []), ...noteIds]);
    const after = result.paging?.next?.after;
    if (after) page.next.push({ id, after });
  }
  for (const error of answer.errors ?? []) {
    const ids = (error.context?.['fromObjectId'] ?? []).filter((id) => asked.has(id));
    if (error.subCategory === NO_ASSOCIATIONS) {
      for (const id of ids) if (!page.noteIds.has(id)) page.noteIds.set(id, []);
      continue;
    }
    const failure = itemError(error);
    for (const id of ids.length > 0 ? ids : contactIds) {
      if (!page.noteIds.has(id)) page.failed.set(id, failure);
    }
  }
  for (const id of contactIds) {
    if (!page.noteIds.has(id) && !page.failed.has(id)) page.failed.set(id, missing('associations'));
  }
  return page;
}

/** Bodies of the notes asked for; a note deleted in the meantime has none and no failure. */
export interface NotesRead {
  bodies: Map<string, string>;
  failed: Map<string, HubspotItemError>;
}

export function readNotes(noteIds: string[], answer: NotesAnswer): NotesRead {
  const read: NotesRead = { bodies: new Map(), failed: new Map() };
  const gone = new Set<string>();
  for (const result of answer.results ?? []) {
    if (result.id !== undefined)
      read.bodies.set(String(result.id), result.properties?.['hs_note_body'] ?? '');
  }
  for (const error of answer.errors ?? []) {
    const ids = error.context?.['ids'] ?? [];
    if (error.category === NOT_FOUND) {
      for (const id of ids) gone.add(id);
      continue;
    }
    const failure = itemError(error);
    for (const id of ids.length > 0 ? ids : noteIds) if (!read.bodies.has(id)) read.failed.set(id, failure);
  }
  for (const id of noteIds) {
    if (!read.bodies.has(id) && !gone.has(id) && !read.failed.has(id)) read.failed.set(id, missing('notes'));
  }
  return read;
}

const itemError = (error: BatchError): HubspotItemError => ({
  category: error.category ?? 'UNKNOWN',
  message: error.message ?? 'no message',
});

const missing = (what: string): HubspotItemError => ({
  category: 'MISSING_RESULT',
  message: `HubSpot's ${what} batch read returned nothing for this input`,
});
