import type { Lead } from '@lead-delivery/contracts';
import { aStandardLead } from '@lead-delivery/testing';
import { normalizeEmail } from './normalize-email.util';
import { normalizeLead } from './normalize-lead';
import { normalizeName } from './normalize-name.util';
import { normalizePhone } from './normalize-phone.util';
import { normalizeState } from './normalize-state.util';
import { normalizeZip } from './normalize-zip.util';
import { personKeyOf } from './person-key.util';

describe('normalizePhone: E.164, US by default', () => {
  it.each([
    ['(512) 555-0142', '+15125550142'],
    ['512.555.0142', '+15125550142'],
    ['  5125550142 ', '+15125550142'],
    ['+1 512 555 0142', '+15125550142'],
    ['1-512-555-0142', '+15125550142'],
    ['512-555-0142 ext. 12', '+15125550142'],
    ['+44 20 7946 0958', '+442079460958'],
    ['011 44 20 7946 0958', '+442079460958'],
    ['0049 30 901820', '+4930901820'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+52 55 1234 5678', '+525512345678'],
    ['(800) 555-0100', '+18005550100'],
  ])('%j → %s', (phone, expected) => {
    expect(normalizePhone(phone)).toBe(expected);
  });

  it.each([
    ['too short', '12345'],
    ['no such US area code', '+1 (555) 123-4567'],
    ['a national UK number read as US', '020 7946 0958'],
    ['letters', 'call me maybe'],
    ['blank', '   '],
    ['empty', ''],
    ['missing', undefined],
  ])('%s (%j) → undefined', (_case, phone) => {
    expect(normalizePhone(phone)).toBeUndefined();
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['Maria.Gonzalez@Example.COM', 'maria.gonzalez@example.com'],
    ['  jane@example.com\t', 'jane@example.com'],
    ['already@lower.case', 'already@lower.case'],
  ])('%j → %s', (email, expected) => {
    expect(normalizeEmail(email)).toBe(expected);
  });
});

describe('normalizeName: trimmed, cased only when typed in one case', () => {
  it.each([
    ['maria', 'Maria'],
    ['GONZALEZ', 'Gonzalez'],
    ['  maria   jose  ', 'Maria Jose'],
    ['mcdonald', 'McDonald'],
    ['MCDONALD', 'McDonald'],
    ['McDonald', 'McDonald'],
    ["o'brien", "O'Brien"],
    ["O'BRIEN", "O'Brien"],
    ['o’neil', 'O’Neil'],
    ['mary-jane', 'Mary-Jane'],
    ['SMITH-JONES', 'Smith-Jones'],
    ['DeVito', 'DeVito'],
    ['van der Berg', 'van der Berg'],
    ['josé', 'José'],
    ['ÉLODIE', 'Élodie'],
    ['ДМИТРИЙ', 'Дмитрий'],
    ['李小龙', '李小龙'],
    ['محمد', 'محمد'],
    ['j.r.', 'J.R.'],
  ])('%j → %j', (name, expected) => {
    expect(normalizeName(name)).toBe(expected);
  });

  it.each([[''], ['   '], [undefined]])('%j → undefined', (name) => {
    expect(normalizeName(name)).toBeUndefined();
  });
});

describe('normalizeState: two-letter USPS code', () => {
  it.each([
    ['TX', 'TX'],
    ['tx', 'TX'],
    [' Tx ', 'TX'],
    ['Texas', 'TX'],
    ['NEW  YORK', 'NY'],
    ['north carolina', 'NC'],
    ['District of Columbia', 'DC'],
    ['Washington, D.C.', 'DC'],
    ['Washington', 'WA'],
    ['Puerto Rico', 'PR'],
  ])('%j → %s', (state, expected) => {
    expect(normalizeState(state)).toBe(expected);
  });

  it.each([['XX'], ['Ontario'], ['Tex.'], [''], [undefined]])('%j → undefined', (state) => {
    expect(normalizeState(state)).toBeUndefined();
  });
});

describe('normalizeZip: five digits', () => {
  it.each([
    ['78704', '78704'],
    ['78704-1234', '78704'],
    ['787041234', '78704'],
    [' 78704 1234 ', '78704'],
    ['2134', '02134'],
    ['501', '00501'],
  ])('%j → %s', (zip, expected) => {
    expect(normalizeZip(zip)).toBe(expected);
  });

  it.each([['12'], ['12345678'], ['K1A 0B1'], ['7870A'], [''], [undefined]])('%j → undefined', (zip) => {
    expect(normalizeZip(zip)).toBeUndefined();
  });
});

describe('normalizeLead', () => {
  it('normalises the contact and the address of a lead, leaving the lead itself alone', () => {
    const lead: Lead = aStandardLead({
      contact: {
        first_name: '  MARY-JANE ',
        last_name: "o'brien",
        email: ' Mary.OBrien@Example.com ',
        phone: '(512) 555-0142',
      },
      property: { address: '2104   Lakeview Dr ', city: 'AUSTIN', state: 'texas', zip_code: '78704-1234' },
    });
    const original = structuredClone(lead);

    expect(normalizeLead(lead)).toEqual({
      email: 'mary.obrien@example.com',
      phone_e164: '+15125550142',
      first_name: 'Mary-Jane',
      last_name: "O'Brien",
      full_name: "Mary-Jane O'Brien",
      address: '2104 Lakeview Dr, Austin, TX 78704',
      city: 'Austin',
      state: 'TX',
      zip_code: '78704',
    });
    expect(lead).toEqual(original);
  });

  it('leaves out what is missing or cannot be normalised, and formats the address from what is known', () => {
    const lead: Lead = {
      lead_id: 'lead-1',
      timestamp: '2026-01-31T17:04:05.000Z',
      contact: { email: 'a@b.co', phone: 'n/a', last_name: 'Nguyen' },
      property: { city: 'st. louis', state: 'Ontario', zip_code: '631' },
    };
    expect(normalizeLead(lead)).toEqual({
      email: 'a@b.co',
      last_name: 'Nguyen',
      full_name: 'Nguyen',
      address: 'St. Louis, 00631',
      city: 'St. Louis',
      zip_code: '00631',
    });
  });

  it('has only the email when the lead has nothing else', () => {
    expect(
      normalizeLead({ lead_id: 'x', timestamp: '2026-01-01T00:00:00.000Z', contact: { email: 'X@Y.Z' } }),
    ).toEqual({ email: 'x@y.z' });
  });
});

describe('personKeyOf', () => {
  it.each([
    ['the normalised email', { email: 'a@b.co', phone_e164: '+15125550142' }, 'a@b.co'],
    ['the E.164 phone without an email', { email: '', phone_e164: '+15125550142' }, '+15125550142'],
    ['the lead itself without either', { email: '' }, 'lead:lead-7'],
  ])('is %s', (_case, normalized, expected) => {
    expect(personKeyOf(normalized, 'lead-7')).toBe(expected);
  });

  it('recognises one person asking about several homes', () => {
    const first = normalizeLead(
      aStandardLead({ contact: { email: 'Sam@Example.com', phone: '512 555 0142' } }),
    );
    const second = normalizeLead(
      aStandardLead({ contact: { email: ' sam@example.COM', phone: '+15125550142' } }),
    );
    expect(personKeyOf(first, 'a')).toBe(personKeyOf(second, 'b'));
  });
});
