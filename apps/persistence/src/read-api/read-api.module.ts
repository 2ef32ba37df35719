import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, HttpAdapterHost, Reflector } from '@nestjs/core';
import type { CountryCode } from 'libphonenumber-js';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PersistenceMetrics } from '../persistence.metrics';
import { ErasureStore } from '../privacy/erasure-store';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { ErasuresController, PHONE_DEFAULT_COUNTRY } from './erasure/erasures.controller';
import { OperatorTokenGuard } from './http/operator-token.guard';
import { OperatorTokenStore, type OperatorTokenEntry } from './http/operator-tokens';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ValidateInputPipe } from './http/validate-input.pipe';
import { CrmRecordLinks } from './leads/crm-record-links';
import { LeadReader } from './leads/lead-reader.service';
import { LeadsController } from './leads/leads.controller';
import { MeController } from './me/me.controller';
import { PeopleController } from './people/people.controller';
import { DeliverySeriesReader } from './stats/delivery-series.reader';
import { DeliveryStatsReader } from './stats/delivery-stats.reader';
import { StatsController } from './stats/stats.controller';

export interface ReadApiModuleOptions {
  /** The service's own DataSource and metrics, shared with the consumer. */
  dataSource: DataSource;
  metrics: PersistenceMetrics;
  erasures: ErasureStore;
  deadLetters: DeadLettersService;
  crmRecordLinks: CrmRecordLinks;
  operatorTokens: OperatorTokenEntry[];
  phoneDefaultCountry: CountryCode;
  logger: Logger;
}

/** A person key (an email or a phone number) in a path is personal data: request logs show the route instead. */
export function loggableUrl(url: string | undefined): string {
  return (url ?? '').replace(/^(\/accounts\/[^/?]+\/people\/)[^?]*/, '$1:personKey');
}

/** The operator read API: its own Nest app and port, every route behind an operator token with the route's scope. */
@Module({})
export class ReadApiModule {
  static register(options: ReadApiModuleOptions): DynamicModule {
    return {
      module: ReadApiModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: options.logger.child({ component: 'read-api' }),
            genReqId: (request: IncomingMessage, response: ServerResponse) => {
              const header = request.headers['x-request-id'];
              const id = typeof header === 'string' && header.length <= 128 ? header : randomUUID();
              response.setHeader('x-request-id', id);
              return id;
            },
            serializers: {
              req: (request: { id: unknown; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                url: loggableUrl(request.url),
              }),
            },
            quietReqLogger: true,
          },
        }),
      ],
      controllers: [
        MeController,
        LeadsController,
        PeopleController,
        StatsController,
        ErasuresController,
        DeadLettersController,
      ],
      providers: [
        { provide: DataSource, useValue: options.dataSource },
        { provide: PersistenceMetrics, useValue: options.metrics },
        { provide: ErasureStore, useValue: options.erasures },
        { provide: DeadLettersService, useValue: options.deadLetters },
        { provide: CrmRecordLinks, useValue: options.crmRecordLinks },
        { provide: PHONE_DEFAULT_COUNTRY, useValue: options.phoneDefaultCountry },
        {
          provide: APP_GUARD,
          useFactory: (reflector: Reflector) =>
            new OperatorTokenGuard(new OperatorTokenStore(options.operatorTokens), reflector),
          inject: [Reflector],
        },
        { provide: APP_PIPE, useClass: ValidateInputPipe },
        {
          provide: APP_FILTER,
          useFactory: (adapterHost: HttpAdapterHost) => new ProblemDetailsFilter(adapterHost, options.logger),
          inject: [HttpAdapterHost],
        },
        LeadReader,
        DeliveryStatsReader,
        DeliverySeriesReader,
      ],
    };
  }
}
