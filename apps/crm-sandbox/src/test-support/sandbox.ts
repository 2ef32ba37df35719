import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { loadSandboxConfig } from '../app.config';
import { createSandboxApp } from '../create-app';
import { createSandboxLogger } from '../sandbox-logger';

export const SF_CLIENT_ID = 'sandbox-client-id';
export const SF_CLIENT_SECRET = 'sandbox-client-secret';
export const SF_ORG_ID = '00D5e000000SbX1EAK';
export const HS_TOKEN = 'pat-na1-00000000-0000-4000-8000-000000000001';
export const HS_PORTAL_ID = '1000001';

// Tests read response bodies as loosely typed JSON and assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  /** A raw body, sent as JSON unless `contentType` says otherwise. */
  raw?: string;
  form?: Record<string, string>;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A sandbox started in-process on an ephemeral port, called over HTTP like any client would. */
export interface TestSandbox {
  url: string;
  app: INestApplication;
  call<T = Json>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>;
  salesforceToken(clientId?: string, clientSecret?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestSandbox(env: Record<string, string> = {}): Promise<TestSandbox> {
  const config = loadSandboxConfig({ SANDBOX_SEED: '42', LOG_LEVEL: 'fatal', ...env });
  const app = await createSandboxApp(config, createSandboxLogger(config.sandbox));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const call = async <T>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined || options.raw !== undefined) {
      body = options.raw ?? JSON.stringify(options.json);
      headers['Content-Type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    };
  };

  const salesforceToken = async (clientId = SF_CLIENT_ID, clientSecret = SF_CLIENT_SECRET) => {
    const answer = await call<{ access_token: string }>('POST', '/services/oauth2/token', {
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    });
    if (answer.status !== 200)
      throw new Error(`token request failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.access_token;
  };

  return { url, app, call, salesforceToken, close: () => app.close() };
}

export const lead = (id: string, fields: Record<string, unknown> = {}) => ({
  attributes: { type: 'Lead' },
  Realtor_Lead_Id__c: id,
  LastName: 'Doe',
  Company: 'Jane Doe (Realtor.com consumer)',
  ...fields,
});
