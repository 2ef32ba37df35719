import { withoutPoweredBy } from '@lead-delivery/observability';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type INestApplication,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { PersistenceMetrics } from '../persistence.metrics';
import { ErasureStore } from '../privacy/erasure-store';
import { serveConsole } from './console/serve-console';
import { unreadableBodyProblem } from './http/unreadable-body.handler';
import { serveReadApiDocument } from './openapi/serve-read-api-document';
import { ReadApiModule, type ReadApiModuleOptions } from './read-api.module';

export const READ_API_OPTIONS = Symbol('READ_API_OPTIONS');

export interface ReadApiOptions extends Omit<ReadApiModuleOptions, 'dataSource' | 'metrics' | 'erasures'> {
  port: number;
  host: string;
  /** The operator console's build, served under /console; none when undefined. */
  consoleDir?: string;
}

/**
 * Runs the read API as a second Nest app on its own port, inside the service's lifecycle: it listens
 * once the service has started and closes before the service's DataSource does. Health and metrics stay
 * on the service's port, which never needs to be reachable from outside the cluster.
 */
@Injectable()
export class ReadApiServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private app: INestApplication | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PersistenceMetrics,
    private readonly erasures: ErasureStore,
    @Inject(READ_API_OPTIONS) private readonly options: ReadApiOptions,
  ) {}

  /** Where it listens, e.g. `http://127.0.0.1:3001`. */
  get url(): string {
    const address = this.app?.getHttpServer().address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the read API is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, consoleDir, ...moduleOptions } = this.options;
    const app = await NestFactory.create<NestExpressApplication>(
      ReadApiModule.register({
        ...moduleOptions,
        dataSource: this.dataSource,
        metrics: this.metrics,
        erasures: this.erasures,
      }),
      // Explicit, so the bundle requires @nestjs/platform-express (the image installs only what it requires).
      withoutPoweredBy(new ExpressAdapter()),
      // The JSON parser is registered below, followed by the handler that answers its errors as problems.
      { bufferLogs: true, bodyParser: false },
    );
    app.useBodyParser('json');
    app.use(unreadableBodyProblem);
    app.useLogger(app.get(NestPinoLogger));
    app.flushLogs();
    serveReadApiDocument(app);
    if (consoleDir !== undefined) serveConsole(app, consoleDir);
    await app.listen(port, host);
    this.app = app;
    this.options.logger.info(
      { port: (app.getHttpServer().address() as AddressInfo).port },
      'read API listening',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.app?.close();
    await this.options.deadLetters.close();
  }
}
