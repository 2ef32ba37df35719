/** Who to erase, normalised as persistence stores it, and where. */
export interface ErasureTarget {
  /** Lower-case email. */
  email: string | null;
  phoneE164: string | null;
  /** The phone's digits as a lead may have sent them: national number, and with the country code. */
  phoneDigits: string[];
  /** Only this account's data; null: every account. */
  accountId: string | null;
}
