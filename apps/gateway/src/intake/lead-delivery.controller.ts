import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { intakeContextOf, nodeRequestOf } from './intake-context';
import { LeadIntakeService, type LeadAccepted } from './lead-intake.service';
import { requestIdOf } from './request-log.middleware';

/** `POST /lead-delivery`: the CRM endpoint Realtor.com posts leads to (channel /lead-delivery of the spec). */
@Controller('lead-delivery')
export class LeadDeliveryController {
  constructor(
    private readonly intake: LeadIntakeService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post()
  @HttpCode(200)
  async deliver(
    @Req() request: IncomingMessage | { raw: IncomingMessage },
    @Res({ passthrough: true }) response: unknown,
  ): Promise<LeadAccepted> {
    const { account, body } = intakeContextOf(request);
    const nodeRequest = nodeRequestOf(request);
    const traceparent = nodeRequest.headers['traceparent'];
    const { accepted, durability } = await this.intake.intake(account, body ?? Buffer.alloc(0), {
      requestId: requestIdOf(nodeRequest),
      traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    });
    this.adapterHost.httpAdapter.setHeader(response, 'X-Lead-Durable-In', durability);
    return accepted;
  }
}
