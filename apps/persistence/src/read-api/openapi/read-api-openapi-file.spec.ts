import type { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { componentValidators } from '../../../test/openapi-schemas';
import { generateReadApiDocument, READ_API_OPENAPI_FILE } from './read-api-openapi-file';

const committed = () => JSON.parse(readFileSync(READ_API_OPENAPI_FILE, 'utf8')) as OpenAPIObject;

/** Every value at any depth of the document, with its JSON path. */
function* walk(value: unknown, path = '#'): Generator<[string, unknown]> {
  yield [path, value];
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) yield* walk(child, `${path}/${key}`);
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const operationsOf = (document: OpenAPIObject) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ path, method, operation }] : [];
    }),
  );

describe('the read API OpenAPI document (apps/persistence/read-api.openapi.json)', () => {
  it('is what the code generates: run `npm run openapi:read-api` when this fails', async () => {
    const generated = await generateReadApiDocument();
    if (!isDeepStrictEqual(committed(), JSON.parse(JSON.stringify(generated)))) {
      throw new Error(
        'apps/persistence/read-api.openapi.json is out of date: run `npm run openapi:read-api`',
      );
    }
  });

  describe('is OpenAPI 3.1', () => {
    const document = committed();

    it('declares 3.1.0 and uses no 3.0-only keyword', () => {
      expect(document.openapi).toBe('3.1.0');
      const nullables = [...walk(document)].filter(
        ([path]) => /\/nullable$/.test(path) && !/\/properties\/nullable$/.test(path),
      );
      expect(nullables).toEqual([]);
    });

    it('has component schemas that compile as JSON Schema 2020-12', () => {
      const validatorOf = componentValidators(document);
      for (const name of Object.keys(document.components?.schemas ?? {}))
        expect(validatorOf(name)).toBeDefined();
    });

    it('has every reference resolve', () => {
      const refs = [...walk(document)]
        .filter(([path]) => path.endsWith('/$ref'))
        .map(([, ref]) => ref as string);
      const unresolved = refs.filter(
        (ref) => !(ref.replace('#/components/schemas/', '') in (document.components?.schemas ?? {})),
      );
      expect(unresolved).toEqual([]);
    });

    it('puts every operation behind the bearer scheme, with a unique id and its path parameters', () => {
      expect(document.components?.securitySchemes).toEqual({
        operatorToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      });
      expect(document.security).toEqual([{ operatorToken: [] }]);
      const operations = operationsOf(document);
      const ids = operations.map(({ operation }) => operation.operationId);
      expect(new Set(ids).size).toBe(operations.length);
      for (const { path, operation } of operations) {
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
        const declared = (operation.parameters ?? [])
          .filter((parameter) => 'in' in parameter && parameter.in === 'path')
          .map((parameter) => ('name' in parameter ? parameter.name : undefined))
          .sort();
        expect({ path, declared }).toEqual({ path, declared: inPath });
      }
    });

    it('answers every error of every operation as an RFC 9457 problem', () => {
      for (const { path, method, operation } of operationsOf(document)) {
        const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
        expect(errors.map(([status]) => status)).toEqual(expect.arrayContaining(['401', '403', '500']));
        for (const [status, response] of errors) {
          expect({
            method,
            path,
            status,
            content: response && 'content' in response ? response.content : undefined,
          }).toEqual({
            method,
            path,
            status,
            content: {
              'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDocument' } },
            },
          });
        }
      }
    });
  });
});
