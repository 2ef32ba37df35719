import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from './start-tracing';

/**
 * Exports the last spans when the app shuts down. Nest runs shutdown hooks in the reverse order of
 * initialisation: the app's modules first, then the global ones in reverse import order. Apps import
 * ObservabilityModule before MessagingModule, so this runs once consumers stopped and producers flushed.
 */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
