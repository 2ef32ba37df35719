/** An error a fake CRM answers with: its status, its CRM-shaped body, and headers. */
export abstract class CrmHttpError extends Error {
  protected constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Answer with an HTML page instead of JSON, as load balancers in front of the real APIs sometimes do. */
    readonly html = false,
  ) {
    super(message);
  }

  abstract body(): unknown;
}

export function htmlErrorPage(status: number, title: string): string {
  return `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`;
}
