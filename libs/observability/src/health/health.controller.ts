import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck as TerminusHealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { LIVENESS_CHECKS, READINESS_CHECKS } from '../observability.tokens';
import type { HealthCheck } from './health-check';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 3_000;
// Probes are not part of any app's OpenAPI document; documenting them would make terminus load
// @nestjs/swagger (about 100 modules, lodash and js-yaml among them, ~5 MiB of RSS) in every app.
const PROBE = { noCache: true, swaggerDocumentation: false };

/** `/health/live`: restart me if this fails. `/health/ready`: send me traffic only if this passes. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(LIVENESS_CHECKS) private readonly livenessChecks: HealthCheck[],
    @Inject(READINESS_CHECKS) private readonly readinessChecks: HealthCheck[],
  ) {}

  @Get('live')
  @TerminusHealthCheck(PROBE)
  live() {
    return this.health.check(this.livenessChecks.map((check) => this.indicator(check)));
  }

  @Get('ready')
  @TerminusHealthCheck(PROBE)
  ready() {
    const accepting: HealthCheck = {
      name: 'accepting_traffic',
      check: async () => {
        if (this.shutdown.shuttingDown) throw new Error('shutting down');
      },
    };
    return this.health.check([accepting, ...this.readinessChecks].map((check) => this.indicator(check)));
  }

  private indicator(check: HealthCheck): HealthIndicatorFunction {
    return async () => {
      const session = this.indicators.check(check.name);
      try {
        const details = await withTimeout(check.check(), CHECK_TIMEOUT_MS);
        return session.up(details ?? {});
      } catch (error) {
        return session.down({ message: (error as Error).message });
      }
    };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
