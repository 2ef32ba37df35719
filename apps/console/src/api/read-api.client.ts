import type {
  DeadLetterRow,
  DlqTopic,
  Erasure,
  LeadDetail,
  LeadFilter,
  LeadPage,
  Me,
  ReplaySummary,
  StatsSeries,
} from './read-api.types';

/** A problem (RFC 9457) the read API answered, or a network failure (status 0). */
export class ReadApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const query = (params: Record<string, string | undefined>) => {
  const defined = Object.entries(params).filter((entry): entry is [string, string] => !!entry[1]);
  return defined.length === 0 ? '' : `?${new URLSearchParams(defined).toString()}`;
};

/**
 * The read API, same origin, with the operator token held by the caller (in memory only). Every call
 * sends `Authorization: Bearer`; nothing is stored in the browser.
 */
export class ReadApiClient {
  constructor(
    private readonly token: string,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  me = () => this.get<Me>('/me');
  leads = (filter: LeadFilter) => this.get<LeadPage>(`/leads${query({ ...filter })}`);
  lead = (accountId: string, leadId: string) =>
    this.get<LeadDetail>(`/accounts/${encodeURIComponent(accountId)}/leads/${encodeURIComponent(leadId)}`);
  series = (params: { since?: string; until?: string; account?: string; bucket: 'hour' | 'day' }) =>
    this.get<StatsSeries>(`/stats/series${query(params)}`);
  deadLetterTopics = () => this.get<DlqTopic[]>('/dead-letters');
  deadLetters = (topic: string, account?: string) =>
    this.get<DeadLetterRow[]>(`/dead-letters/${encodeURIComponent(topic)}${query({ account })}`);
  replay = (topic: string, selection: { account_id?: string; lead_id?: string }) =>
    this.send<ReplaySummary>('POST', `/dead-letters/${encodeURIComponent(topic)}/replay`, selection);
  requestErasure = (request: { email?: string; phone?: string; account_id?: string }) =>
    this.send<Erasure>('POST', '/erasures', request);
  erasure = (id: string) => this.get<Erasure>(`/erasures/${encodeURIComponent(id)}`);

  private get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(path, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ReadApiError(0, `The read API did not answer: ${(error as Error).message}`);
    }
    const text = await response.text();
    const document: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const problem = document as { title?: string; detail?: string } | null;
      throw new ReadApiError(response.status, problem?.detail ?? problem?.title ?? `HTTP ${response.status}`);
    }
    return document as T;
  }
}
