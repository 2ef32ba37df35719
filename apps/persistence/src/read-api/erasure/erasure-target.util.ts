import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ErasureTarget } from '../../privacy/erasure-target';
import { ProblemException } from '../http/problem.exception';
import type { ErasureRequest } from './erasure.request';

/** The request's identity, normalised as persistence stores it (lower-case email, E.164 phone). */
export function erasureTargetOf(request: ErasureRequest, defaultCountry: CountryCode): ErasureTarget {
  const target: ErasureTarget = {
    email: request.email?.trim().toLowerCase() ?? null,
    phoneE164: null,
    phoneDigits: [],
    accountId: request.account_id ?? null,
  };
  if (request.phone === undefined) return target;
  const phone = parsePhoneNumberFromString(request.phone, defaultCountry);
  if (!phone?.isValid()) {
    throw ProblemException.invalidInput([{ pointer: '/phone', detail: 'must be a valid phone number' }]);
  }
  return {
    ...target,
    phoneE164: phone.number,
    phoneDigits: [phone.nationalNumber, `${phone.countryCallingCode}${phone.nationalNumber}`],
  };
}
