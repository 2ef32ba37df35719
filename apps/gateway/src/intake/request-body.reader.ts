import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { Problems } from '../problems/problem.exception';
import { intakeContextOf } from './intake-context';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Reads the body itself, the same way under Fastify and Express: JSON media type only (415), at most
 * BODY_LIMIT_BYTES (413, checked on Content-Length first and again while reading).
 */
@Injectable()
export class RequestBodyReader {
  constructor(
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  async read(request: IncomingMessage): Promise<void> {
    const contentType = request.headers['content-type'];
    if (!contentType || !JSON_MEDIA_TYPE.test(contentType)) {
      this.metrics.lead('unsupported_media_type');
      throw Problems.unsupportedMediaType(contentType);
    }
    const limit = this.config.BODY_LIMIT_BYTES;
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      this.metrics.lead('payload_too_large');
      throw Problems.payloadTooLarge(limit);
    }
    intakeContextOf(request).body = await readBody(request, limit).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) this.metrics.lead('payload_too_large');
      throw error instanceof BodyTooLargeError ? Problems.payloadTooLarge(limit) : error;
    });
  }
}

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume(); // drain without keeping it, so the 413 can be written
        reject(new BodyTooLargeError());
      } else {
        chunks.push(chunk);
      }
    });
    // One chunk (most leads) is the body as is: Buffer.concat would copy it.
    request.on('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)),
    );
    request.on('error', reject);
  });
}
