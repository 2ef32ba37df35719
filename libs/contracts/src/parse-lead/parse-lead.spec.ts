import { parseLead, type ParseLeadResult } from './parse-lead';

const minimalLead = () => ({
  lead_id: 'rdc-1001',
  contact: { email: 'jane.doe@example.com' },
  timestamp: '2026-11-27T10:15:00Z',
});

function errorsOf(result: ParseLeadResult) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result.errors;
}

function acceptedOf(result: ParseLeadResult) {
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.errors)}`);
  return result;
}

describe('parseLead: hard requirements reject in every mode', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a JSON array', [], '', /JSON object/],
    ['null', null, '', /JSON object/],
    ['a string', 'lead', '', /JSON object/],
    ['no lead_id', { ...minimalLead(), lead_id: undefined }, '/lead_id', /required/],
    ['a numeric lead_id', { ...minimalLead(), lead_id: 1001 }, '/lead_id', /string/],
    ['an empty lead_id', { ...minimalLead(), lead_id: '' }, '/lead_id', /blank/],
    ['a blank lead_id', { ...minimalLead(), lead_id: '   ' }, '/lead_id', /blank/],
    ['a lead_id with a NUL', { ...minimalLead(), lead_id: 'rdc\u00001' }, '/lead_id', /control characters/],
    [
      'a lead_id too long for a key',
      { ...minimalLead(), lead_id: 'L'.repeat(201) },
      '/lead_id',
      /at most 200/,
    ],
    ['no contact', { ...minimalLead(), contact: undefined }, '/contact', /required/],
    ['a string contact', { ...minimalLead(), contact: 'jane' }, '/contact', /object/],
    ['an array contact', { ...minimalLead(), contact: [{ email: 'a@b.co' }] }, '/contact', /object/],
    ['no email', { ...minimalLead(), contact: { first_name: 'Jane' } }, '/contact/email', /required/],
    ['a null email', { ...minimalLead(), contact: { email: null } }, '/contact/email', /required/],
    ['a numeric email', { ...minimalLead(), contact: { email: 42 } }, '/contact/email', /string/],
    ['an email without domain', { ...minimalLead(), contact: { email: 'jane@' } }, '/contact/email', /email/],
    ['no timestamp', { ...minimalLead(), timestamp: undefined }, '/timestamp', /required/],
    ['a numeric timestamp', { ...minimalLead(), timestamp: 1764238500 }, '/timestamp', /string/],
    ['an unparseable timestamp', { ...minimalLead(), timestamp: 'yesterday' }, '/timestamp', /date-time/],
  ];

  it.each(cases)('rejects %s', (_name, body, pointer, detail) => {
    for (const mode of ['lenient', 'strict'] as const) {
      const errors = errorsOf(parseLead(body, { mode }));
      const error = errors.find((candidate) => candidate.pointer === pointer);
      expect(error?.detail).toMatch(detail);
    }
  });

  it('lists every hard error at once', () => {
    const errors = errorsOf(parseLead({ contact: { email: 7 }, timestamp: 'soon' }));
    expect(errors.map((error) => error.pointer).sort()).toEqual(['/contact/email', '/lead_id', '/timestamp']);
  });
});

describe('parseLead: lenient mode keeps the lead and explains what it changed', () => {
  const cases: Array<[string, Record<string, unknown>, string, 'coerced' | 'dropped' | 'ignored', unknown]> =
    [
      ['numeric zip_code', { property: { zip_code: 12345 } }, '/property/zip_code', 'coerced', '12345'],
      ['fractional baths', { property: { baths: 2.5 } }, '/property/baths', 'dropped', undefined],
      ['beds as a string', { property: { beds: '3' } }, '/property/beds', 'coerced', 3],
      [
        'list_price as a string',
        { property: { list_price: '425000.50' } },
        '/property/list_price',
        'coerced',
        425000.5,
      ],
      [
        'list_price with commas',
        { property: { list_price: '425,000' } },
        '/property/list_price',
        'dropped',
        undefined,
      ],
      [
        'probability above 1',
        { probability_to_transact: 1.2 },
        '/probability_to_transact',
        'dropped',
        undefined,
      ],
      [
        'probability below 0',
        { probability_to_transact: -0.1 },
        '/probability_to_transact',
        'dropped',
        undefined,
      ],
      [
        'pre_approved as "TRUE"',
        { finance_info: { pre_approved: 'TRUE' } },
        '/finance_info/pre_approved',
        'coerced',
        true,
      ],
      [
        'pre_approved as "yes"',
        { finance_info: { pre_approved: 'yes' } },
        '/finance_info/pre_approved',
        'dropped',
        undefined,
      ],
      ['role in capitals', { role: 'SELLER' }, '/role', 'coerced', 'seller'],
      ['an unknown role', { role: 'renter' }, '/role', 'dropped', undefined],
      [
        'a listing_url that is not a URI',
        { property: { listing_url: 'realtor dot com' } },
        '/property/listing_url',
        'dropped',
        undefined,
      ],
      [
        'a padded agent email',
        { listing_agent: { email: ' agent@brokerage.com ' } },
        '/listing_agent/email',
        'coerced',
        'agent@brokerage.com',
      ],
      [
        'a null phone',
        { contact: { email: 'jane.doe@example.com', phone: null } },
        '/contact/phone',
        'dropped',
        undefined,
      ],
      [
        'a numeric phone',
        { contact: { email: 'jane.doe@example.com', phone: 5551234567 } },
        '/contact/phone',
        'coerced',
        '5551234567',
      ],
      ['an unknown field', { utm_campaign: 'fall' }, '/utm_campaign', 'ignored', undefined],
      ['an unknown nested field', { property: { garage: 2 } }, '/property/garage', 'ignored', undefined],
      [
        'a padded contact email',
        { contact: { email: ' Jane.Doe@example.com ' } },
        '/contact/email',
        'coerced',
        'Jane.Doe@example.com',
      ],
      ['a timestamp without zone', { timestamp: '2026-11-27 10:15' }, '/timestamp', 'coerced', undefined],
    ];

  it.each(cases)('accepts %s', (_name, overrides, pointer, action, expectedValue) => {
    const result = acceptedOf(parseLead({ ...minimalLead(), ...overrides }));
    expect(result.warnings).toContainEqual(expect.objectContaining({ pointer, action }));
    const value = pointer
      .split('/')
      .slice(1)
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], result.lead);
    if (pointer !== '/timestamp') expect(value).toEqual(expectedValue);
  });

  it.each(cases)('rejects %s in strict mode, naming the field', (_name, overrides, pointer) => {
    const errors = errorsOf(parseLead({ ...minimalLead(), ...overrides }, { mode: 'strict' }));
    expect(errors.map((error) => error.pointer)).toContain(pointer);
  });

  it('reports a clean lead without warnings', () => {
    expect(acceptedOf(parseLead(minimalLead())).warnings).toEqual([]);
  });

  it('does not let a "__proto__" key reach the lead or any prototype', () => {
    const body = JSON.parse(
      '{"__proto__": {"polluted": true}, "lead_id": "p1", "contact": {"email": "a@b.co", "__proto__": {"x": 1}}, "timestamp": "2026-11-27T10:15:00Z"}',
    );
    const result = acceptedOf(parseLead(body));
    expect(Object.getPrototypeOf(result.lead)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(result.warnings).toEqual([
      expect.objectContaining({
        pointer: '',
        detail: expect.stringMatching(/: \/__proto__, \/contact\/__proto__$/),
      }),
    ]);
  });

  it('keeps unicode and very long values as they are', () => {
    const message = '🏡 Hola, ¿está disponible? 家 '.repeat(1000);
    const result = acceptedOf(
      parseLead({
        ...minimalLead(),
        contact: { email: 'zoë@example.com'.replace('ë', 'e'), first_name: 'Zoë', last_name: 'Ødegård-李' },
        message,
      }),
    );
    expect(result.lead.contact.last_name).toBe('Ødegård-李');
    expect(result.lead.message).toBe(message);
  });
});

describe('parseLead: optional objects that are not objects', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a string property', { property: '1 Main St' }, '/property'],
    ['an array listing_agent', { listing_agent: [] }, '/listing_agent'],
    ['a numeric finance_info', { finance_info: 5 }, '/finance_info'],
    ['an array of values as finance_info', { finance_info: [1, { pre_approved: 'x' }] }, '/finance_info'],
  ];

  it.each(cases)(
    'lenient mode sets %s aside with a warning and keeps the lead',
    (_name, overrides, pointer) => {
      const result = acceptedOf(parseLead({ ...minimalLead(), ...overrides }));
      expect(result.warnings).toEqual([
        { pointer, action: 'dropped', detail: expect.stringMatching(/object.*set aside/) },
      ]);
      expect(pointer.slice(1) in result.lead).toBe(false);
    },
  );

  it.each(cases)('strict mode rejects %s, naming the field', (_name, overrides, pointer) => {
    const errors = errorsOf(parseLead({ ...minimalLead(), ...overrides }, { mode: 'strict' }));
    expect(errors).toContainEqual({ pointer, detail: expect.stringMatching(/object/) });
  });
});

describe('parseLead: unknown fields', () => {
  const manyUnknown = () =>
    Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`x${index}`, index]));

  it('folds every unknown field, nested ones too, into one warning listing them', () => {
    const result = acceptedOf(
      parseLead({ ...minimalLead(), utm_source: 'a', contact: { email: 'a@b.co', fax: '1' } }),
    );
    expect(result.warnings).toEqual([
      {
        pointer: '',
        action: 'ignored',
        detail:
          '2 fields are not in the lead schema (kept in the raw payload only): /contact/fax, /utm_source',
      },
    ]);
  });

  it('keeps the warning short however many unknown fields a body has', () => {
    const result = acceptedOf(parseLead({ ...minimalLead(), ...manyUnknown() }));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.detail).toMatch(/^5000 fields .*\/x19 and 4980 more$/);
    expect(result.warnings[0]?.detail.length).toBeLessThan(400);
  });

  it('strict mode answers one error for them as well', () => {
    const errors = errorsOf(parseLead({ ...minimalLead(), ...manyUnknown() }, { mode: 'strict' }));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.detail).toMatch(/^5000 fields are not in the lead schema: \/x0, /);
  });
});

describe('parseLead: kind and timestamp', () => {
  it.each([
    ['no enhanced field', 'standard', {}],
    ['a signature only', 'standard', { digital_signature: 'abc' }],
    ['a role', 'enhanced', { role: 'buyer' }],
    ['finance info', 'enhanced', { finance_info: { pre_approved: true } }],
    ['an MLS id on the property', 'enhanced', { property: { mls_id: 'M-1' } }],
    ['only standard property fields', 'standard', { property: { city: 'Austin', beds: 3 } }],
  ])('a lead with %s is %s', (_name, kind, overrides) => {
    expect(acceptedOf(parseLead({ ...minimalLead(), ...overrides })).kind).toBe(kind);
  });

  it.each([
    ['2026-11-27T05:15:00-05:00', '2026-11-27T10:15:00.000Z'],
    ['2026-11-27T10:15:00.123456Z', '2026-11-27T10:15:00.123Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'],
  ])('normalises %s to UTC %s', (timestamp, normalised) => {
    for (const mode of ['lenient', 'strict'] as const) {
      expect(acceptedOf(parseLead({ ...minimalLead(), timestamp }, { mode })).lead.timestamp).toBe(
        normalised,
      );
    }
  });
});

describe('parseLead: objects where a scalar belongs', () => {
  // class-transformer threw a TypeError on an own `constructor` key inside such a value (found by the
  // hostile-input suite): a field error or a warning is expected instead.
  const poison = [{ constructor: 'x' }];

  it('rejects a hard field holding one, naming the field', () => {
    for (const mode of ['lenient', 'strict'] as const) {
      expect(parseLead({ ...minimalLead(), lead_id: poison }, { mode })).toEqual({
        ok: false,
        errors: [{ pointer: '/lead_id', detail: expect.stringMatching(/string/) }],
      });
    }
  });

  it('sets aside an optional field holding one in lenient mode', () => {
    const result = acceptedOf(
      parseLead({
        ...minimalLead(),
        message: { nested: { constructor: 1 } },
        contact: { email: 'a@b.co', first_name: poison },
      }),
    );
    expect(result.lead).not.toHaveProperty('message');
    expect(result.warnings.map(({ pointer, action }) => [pointer, action]).sort()).toEqual([
      ['/contact/first_name', 'dropped'],
      ['/message', 'dropped'],
    ]);
  });
});
