import { Controller, Get, Injectable, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../common/sandbox-request';

/** Set when SIGTERM arrives, so readiness fails and traffic stops before the listener closes. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  shuttingDown = false;

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}

/** The sandbox has no dependencies: live while the event loop answers, ready until shutdown starts. */
@Controller('health')
export class HealthController {
  constructor(private readonly shutdown: ShutdownState) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  ready(@Res() res: ServerResponse): void {
    if (this.shutdown.shuttingDown) sendJson(res, 503, { status: 'shutting_down' });
    else sendJson(res, 200, { status: 'ok' });
  }
}
