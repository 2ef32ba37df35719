import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

interface Resettable {
  reset(): void;
}

const isResettable = (instance: unknown): instance is Resettable =>
  typeof instance === 'object' && instance !== null && typeof (instance as Resettable).reset === 'function';

/**
 * What the sandbox holds, found rather than listed: every provider a module exports that has a `reset()`
 * (each fake CRM's store, generated ones included, the fault injector, the usage counters, the request log).
 */
@Injectable()
export class SandboxStores {
  constructor(private readonly modules: ModulesContainer) {}

  /** Empties each of them once. */
  resetAll(): void {
    const stores = new Set<Resettable>();
    for (const module of this.modules.values()) {
      for (const token of module.exports) {
        const instance = module.providers.get(token)?.instance;
        if (isResettable(instance)) stores.add(instance);
      }
    }
    for (const store of stores) store.reset();
  }
}
