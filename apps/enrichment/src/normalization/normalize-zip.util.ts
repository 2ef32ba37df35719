const ZIP = /^(\d{5})(?:-?\d{4})?$/;
// A ZIP that went through a spreadsheet or a number type loses its leading zeros (02134 → 2134, 00501 → 501).
const ZIP_WITHOUT_LEADING_ZEROS = /^\d{3,4}$/;

/** The five-digit ZIP code (`78704-1234` → `78704`, `2134` → `02134`); `undefined` when it is not one. */
export function normalizeZip(zip: string | undefined): string | undefined {
  const text = zip?.replace(/\s+/g, '');
  if (!text) return undefined;
  const match = ZIP.exec(text);
  if (match) return match[1];
  return ZIP_WITHOUT_LEADING_ZEROS.test(text) ? text.padStart(5, '0') : undefined;
}
