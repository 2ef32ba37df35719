import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CountryCode } from 'libphonenumber-js';
import type { ServerResponse } from 'node:http';
import { ErasureStore } from '../../privacy/erasure-store';
import { CurrentOperator } from '../http/current-operator.decorator';
import type { Operator } from '../http/operator-tokens';
import { ProblemException } from '../http/problem.exception';
import { ApiProblemResponses } from '../http/problem.responses';
import { RequiresScope } from '../http/requires-scope.decorator';
import { erasureTargetOf } from './erasure-target.util';
import { ErasureDocument } from './erasure.responses';
import { ErasureRequest } from './erasure.request';

export const PHONE_DEFAULT_COUNTRY = Symbol('PHONE_DEFAULT_COUNTRY');

@Controller('erasures')
export class ErasuresController {
  constructor(
    private readonly erasures: ErasureStore,
    @Inject(PHONE_DEFAULT_COUNTRY) private readonly defaultCountry: CountryCode,
  ) {}

  @Post()
  @RequiresScope('erase')
  @ApiOperation({
    operationId: 'erasePerson',
    summary:
      "Erase a person's personal data (CCPA/GDPR) by email, phone or both, in one account or all; carried out in the background",
  })
  @ApiAcceptedResponse({ type: ErasureDocument, headers: { Location: { schema: { type: 'string' } } } })
  @ApiProblemResponses(400)
  @HttpCode(202)
  async erase(
    @Body() request: ErasureRequest,
    @CurrentOperator() operator: Operator,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    const { id } = await this.erasures.request(erasureTargetOf(request, this.defaultCountry), operator.name);
    response.setHeader('Location', `/erasures/${id}`);
    return this.erasures.find(id);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getErasure', summary: 'The state of an erasure, place by place' })
  @ApiOkResponse({ type: ErasureDocument })
  @ApiProblemResponses(400, 404)
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const erasure = await this.erasures.find(id);
    if (!erasure) throw ProblemException.notFound(`No erasure ${id}.`);
    return erasure;
  }
}
