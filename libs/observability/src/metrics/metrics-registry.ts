import { Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus registry of an app: process metrics plus whatever the app registers, labelled by service. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
