import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { ProblemException } from '../http/problem.exception';
import { ErasePersonHandler, type ErasureTarget } from './erase-person.handler';
import { ErasureRequest } from './erasure.request';

export const PHONE_DEFAULT_COUNTRY = Symbol('PHONE_DEFAULT_COUNTRY');

@Controller('erasures')
export class ErasuresController {
  constructor(
    private readonly handler: ErasePersonHandler,
    @Inject(PHONE_DEFAULT_COUNTRY) private readonly defaultCountry: CountryCode,
  ) {}

  @Post()
  @HttpCode(200)
  erase(@Body() request: ErasureRequest) {
    return this.handler.erase(this.targetOf(request));
  }

  private targetOf(request: ErasureRequest): ErasureTarget {
    const target: ErasureTarget = {
      email: request.email?.trim().toLowerCase() ?? null,
      phoneE164: null,
      phoneDigits: [],
    };
    if (request.phone === undefined) return target;
    const phone = parsePhoneNumberFromString(request.phone, this.defaultCountry);
    if (!phone?.isValid()) {
      throw ProblemException.invalidInput([{ pointer: '/phone', detail: 'must be a valid phone number' }]);
    }
    return {
      ...target,
      phoneE164: phone.number,
      phoneDigits: [phone.nationalNumber, `${phone.countryCallingCode}${phone.nationalNumber}`],
    };
  }
}
