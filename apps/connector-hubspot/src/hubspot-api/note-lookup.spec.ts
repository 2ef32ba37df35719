import { readAssociationsPage, readNotes } from './note-lookup';

const noAssociations = (id: string) => ({
  status: 'error',
  category: 'OBJECT_NOT_FOUND',
  subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
  message: `No note is associated with contact ${id}.`,
  context: { fromObjectId: [id], fromObjectType: ['contact'], toObjectType: ['note'] },
});

describe('readAssociationsPage', () => {
  it('collects note ids per contact, and the cursors of contacts with more pages', () => {
    const page = readAssociationsPage(['1', '2', '3'], {
      results: [
        {
          _from: { id: '1' },
          to: [{ toObjectId: 11 }, { toObjectId: '12' }],
          paging: { next: { after: 'MTI=' } },
        },
        { _from: { id: '3' }, to: [{ toObjectId: 31 }] },
      ],
      errors: [noAssociations('2')],
    });
    expect(page.noteIds).toEqual(
      new Map([
        ['1', ['11', '12']],
        ['3', ['31']],
        ['2', []],
      ]),
    );
    expect(page.next).toEqual([{ id: '1', after: 'MTI=' }]);
    expect(page.failed.size).toBe(0);
  });

  it('fails the contacts an error names, or every unanswered one when it names none, and those left out', () => {
    const named = readAssociationsPage(['1', '2', '3'], {
      results: [{ _from: { id: '1' }, to: [] }],
      errors: [{ category: 'RATE_LIMITS', message: 'slow down', context: { fromObjectId: ['2'] } }],
    });
    expect(named.failed).toEqual(
      new Map([
        ['2', { category: 'RATE_LIMITS', message: 'slow down' }],
        [
          '3',
          {
            category: 'MISSING_RESULT',
            message: "HubSpot's associations batch read returned nothing for this input",
          },
        ],
      ]),
    );
    const unnamed = readAssociationsPage(['1', '2'], {
      results: [{ _from: { id: '1' }, to: [{ toObjectId: 11 }] }],
      errors: [{ category: 'INTERNAL_ERROR' }],
    });
    expect([...unnamed.failed]).toEqual([['2', { category: 'INTERNAL_ERROR', message: 'no message' }]]);
    expect(unnamed.noteIds.get('1')).toEqual(['11']);
  });

  it('ignores results for contacts it did not ask about', () => {
    const page = readAssociationsPage(['1'], {
      results: [{ _from: { id: '9' }, to: [{ toObjectId: 91 }] }],
      errors: [noAssociations('1'), noAssociations('8')],
    });
    expect(page.noteIds).toEqual(new Map([['1', []]]));
  });
});

describe('readNotes', () => {
  it('reads the bodies; notes deleted in the meantime (OBJECT_NOT_FOUND) are simply gone', () => {
    const read = readNotes(['11', '12', '13'], {
      results: [
        { id: '11', properties: { hs_note_body: 'a<br>Realtor.com lead id: L-1' } },
        { id: '13', properties: { hs_note_body: null } },
      ],
      errors: [
        {
          category: 'OBJECT_NOT_FOUND',
          message: 'Could not get some NOTE objects',
          context: { ids: ['12'] },
        },
      ],
    });
    expect(read.bodies).toEqual(
      new Map([
        ['11', 'a<br>Realtor.com lead id: L-1'],
        ['13', ''],
      ]),
    );
    expect(read.failed.size).toBe(0);
  });

  it('fails notes another error names, or every unread one, and those left out', () => {
    expect(
      readNotes(['11', '12'], {
        results: [{ id: '11', properties: {} }],
        errors: [{ category: 'INTERNAL_ERROR' }],
      }).failed,
    ).toEqual(new Map([['12', { category: 'INTERNAL_ERROR', message: 'no message' }]]));
    expect([...readNotes(['11'], {}).failed.keys()]).toEqual(['11']);
  });
});
