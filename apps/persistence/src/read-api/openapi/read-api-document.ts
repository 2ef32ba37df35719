import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { withOpenApi31Nullability } from './openapi-31-nullability';

const OPERATOR_TOKEN_SCHEME = 'operatorToken';

/**
 * The read API's OpenAPI 3.1 document, from its controllers and their `@Api*` decorators. @nestjs/swagger
 * writes 3.0 schemas whatever version is declared, so nullability is rewritten the 3.1 way.
 */
export function readApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Persistence read API')
    .setDescription(
      'Operator reads of what the platform stored: leads with their timeline and deliveries, people per ' +
        'account, delivery stats, and erasure requests. Every error is an RFC 9457 problem ' +
        '(`application/problem+json`).',
    )
    .setVersion('1')
    .addSecurity(OPERATOR_TOKEN_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'An operator token (opaque): `Authorization: Bearer <token>`.',
    })
    .addSecurityRequirements(OPERATOR_TOKEN_SCHEME)
    .build();
  return withOpenApi31Nullability(SwaggerModule.createDocument(app, config));
}
