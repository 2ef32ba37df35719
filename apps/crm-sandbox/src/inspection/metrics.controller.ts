import { Controller, Get, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { RequestLog } from './request-log.service';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly log: RequestLog) {}

  @Get()
  async metrics(@Res() res: ServerResponse): Promise<void> {
    const body = await this.log.registry.metrics();
    res.setHeader('Content-Type', this.log.registry.contentType);
    res.end(body);
  }
}
