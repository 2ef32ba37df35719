import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Set when SIGTERM arrives, so readiness fails and the load balancer stops sending traffic first. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  shuttingDown = false;

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
