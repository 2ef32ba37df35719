/** The value a CRM's answer body holds, or undefined when it is not JSON (empty, an HTML page, cut short). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
