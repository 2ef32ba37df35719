import { normalizeId } from './salesforce-id';
import { SalesforceError } from './salesforce.error';
import { sobjectTypeOf, type FieldDef, type SObjectSchema, type SObjectType } from './sobject-schema';

/** `SELECT <fields> FROM <sObject> WHERE <id field> IN ('…', …)` (or `= '…'`), parsed and checked. */
export interface SoqlQuery {
  type: SObjectType;
  fields: FieldDef[];
  /** The id or reference field the WHERE clause filters on. */
  filter: FieldDef;
  /** The ids it must equal, in their 18-character form. */
  ids: Set<string>;
}

interface Token {
  kind: 'word' | 'string' | 'symbol' | 'end';
  text: string;
  /** 0-based offset in the query. */
  at: number;
}

/**
 * The SOQL the sandbox understands: one shape, the one a connector needs to find the activities of
 * records. Anything else is refused the way Salesforce words it (`MALFORMED_QUERY` "unexpected token: …"
 * with the row and column, `INVALID_TYPE`, `INVALID_FIELD`, `INVALID_QUERY_FILTER_OPERATOR`).
 */
export function parseSoql(soql: string, schemaOf: (type: SObjectType) => SObjectSchema): SoqlQuery {
  const tokens = tokenize(soql);
  let position = 0;
  const peek = () => tokens[position] as Token;
  const next = () => tokens[position++] as Token;
  const unexpected = (token: Token): never => {
    throw queryError(
      soql,
      token.at,
      'MALFORMED_QUERY',
      `unexpected token: ${token.kind === 'end' ? '<EOF>' : token.text}`,
    );
  };
  const keyword = (word: string) => {
    const token = next();
    if (token.kind !== 'word' || token.text.toUpperCase() !== word) unexpected(token);
  };
  const word = (): Token => {
    const token = next();
    if (token.kind !== 'word' || /^(SELECT|FROM|WHERE|IN)$/i.test(token.text)) unexpected(token);
    return token;
  };
  const literal = (): Token => {
    const token = next();
    if (token.kind !== 'string') unexpected(token);
    return token;
  };
  const symbol = (text: string) => {
    const token = next();
    if (token.kind !== 'symbol' || token.text !== text) unexpected(token);
  };

  keyword('SELECT');
  const selected = [word()];
  while (peek().kind === 'symbol' && peek().text === ',') {
    next();
    selected.push(word());
  }
  keyword('FROM');
  const object = word();
  keyword('WHERE');
  const filtered = word();
  const values: Token[] = [];
  const operator = next();
  if (operator.kind === 'symbol' && operator.text === '=') {
    values.push(literal());
  } else if (operator.kind === 'word' && operator.text.toUpperCase() === 'IN') {
    symbol('(');
    values.push(literal());
    while (peek().kind === 'symbol' && peek().text === ',') {
      next();
      values.push(literal());
    }
    symbol(')');
  } else {
    unexpected(operator);
  }
  if (peek().kind !== 'end') unexpected(peek());

  const type = sobjectTypeOf(object.text);
  if (!type) {
    throw queryError(
      soql,
      object.at,
      'INVALID_TYPE',
      `sObject type '${object.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const schema = schemaOf(type);
  const fieldOf = (token: Token): FieldDef => {
    const field = schema.field(token.text);
    if (!field) {
      throw queryError(
        soql,
        token.at,
        'INVALID_FIELD',
        `No such column '${token.text}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return field;
  };
  const fields: FieldDef[] = [];
  for (const token of selected) {
    const field = fieldOf(token);
    if (fields.includes(field)) {
      throw queryError(soql, token.at, 'MALFORMED_QUERY', `duplicate field selected: ${field.name}`);
    }
    fields.push(field);
  }
  const filter = fieldOf(filtered);
  // The sandbox filters on ids only (Id and lookups); other filters are a shape it does not serve.
  if (filter.type !== 'id' && filter.type !== 'reference') unexpected(filtered);
  const ids = new Set<string>();
  for (const value of values) {
    const id = normalizeId(value.text);
    if (!id) {
      throw queryError(soql, value.at, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${value.text}`);
    }
    ids.add(id);
  }
  return { type, fields, filter, ids };
}

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < soql.length) {
    const rest = soql.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const quoted = /^'((?:[^'\\]|\\.)*)'/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (quoted) {
      tokens.push({ kind: 'string', text: (quoted[1] ?? '').replace(/\\(.)/g, '$1'), at });
      at += quoted[0].length;
    } else if (word) {
      tokens.push({ kind: 'word', text: word[0], at });
      at += word[0].length;
    } else {
      const symbol = /^(<=|>=|!=|.)/.exec(rest)?.[0] ?? rest;
      tokens.push({ kind: 'symbol', text: symbol, at });
      at += symbol.length;
    }
  }
  tokens.push({ kind: 'end', text: '', at: soql.length });
  return tokens;
}

/** Salesforce's query error message: the line, a caret under the culprit, its row and column, the reason. */
function queryError(soql: string, at: number, errorCode: string, reason: string): SalesforceError {
  const before = soql.slice(0, at);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', at);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = at - lineStart + 1;
  return SalesforceError.of(
    400,
    errorCode,
    `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${reason}`,
  );
}
