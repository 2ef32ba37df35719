import type { LeadRole } from '@lead-delivery/contracts';

export type MessageIntent = 'tour' | 'offer' | 'cash' | 'urgent' | 'selling' | 'browsing' | 'pre_approved';

// Phrases, not single words: "any offers on it?" is a question, "ready to make an offer" is intent.
const PATTERNS: Record<MessageIntent, RegExp> = {
  tour: /\b(tours?|showings?|walk ?through|open house|visit|(see|view|viewing) (it|this|the (home|house|property|place|condo|unit|apartment)))\b/,
  offer:
    /\b((make|making|put in|submit|submitting|write|writing) (an |a |my )?offer|(ready|want|like|planning) to (make an )?offer)\b/,
  cash: /\b(all[- ]cash|cash (buyer|offer|purchase)|pay(ing)? (in )?cash|in cash)\b/,
  urgent:
    /\b(urgent(ly)?|asap|as soon as possible|immediately|right away|today|tonight|tomorrow|this week(end)?|relocat(e|ing|ion))\b/,
  selling:
    /\b((sell|selling|list|listing) (my|our)|home'?s? (value|worth)|what('s| is) (my|our) (home|house|property) worth|valuation|cma)\b/,
  browsing:
    /\b(just (looking|browsing|curious)|browsing|not (ready|in a (hurry|rush))|(next|in a (few|couple of)) years?|someday)\b/,
  pre_approved: /\bpre[- ]?approved\b/,
};
// "not pre-approved", "haven't been pre-approved yet", "need to get pre-approved": no pre-approval.
const NEGATED_PRE_APPROVAL =
  /(\b(not|no|never|without|need|needs|get|getting|become|before|once|if)\b|n't\b)[^.!?]{0,24}\bpre[- ]?approved\b/;

const BY_ROLE: Record<LeadRole, readonly MessageIntent[]> = {
  buyer: ['tour', 'offer', 'cash', 'urgent', 'browsing', 'pre_approved'],
  seller: ['selling', 'urgent', 'browsing'],
};

/** The intents a lead's message expresses, each once, for the intents that matter for its role. */
export function messageIntents(message: string | undefined, role: LeadRole): MessageIntent[] {
  const text = message?.normalize('NFC').toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
  if (!text?.trim()) return [];
  return BY_ROLE[role].filter((intent) =>
    intent === 'pre_approved'
      ? PATTERNS.pre_approved.test(text) && !NEGATED_PRE_APPROVAL.test(text)
      : PATTERNS[intent].test(text),
  );
}
