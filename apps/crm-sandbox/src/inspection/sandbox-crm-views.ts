import { Injectable, NotFoundException } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { CRMS, type Crm } from '../common/crm';
import { SandboxCrmView } from './sandbox-crm-view';

/**
 * Each fake CRM's SandboxCrmView, found rather than listed (as SandboxStores finds what to reset): every
 * provider a module exports that is one. In registry order.
 */
@Injectable()
export class SandboxCrmViews {
  private found?: readonly SandboxCrmView[];

  constructor(private readonly modules: ModulesContainer) {}

  all(): readonly SandboxCrmView[] {
    this.found ??= this.discover();
    return this.found;
  }

  /** The CRM's view; 404 for a CRM whose module contributes none. */
  of(crm: Crm): SandboxCrmView {
    const view = this.all().find((candidate) => candidate.crm === crm);
    if (!view) throw new NotFoundException(`${crm} contributes no sandbox view`);
    return view;
  }

  private discover(): SandboxCrmView[] {
    const views = new Set<SandboxCrmView>();
    for (const module of this.modules.values()) {
      for (const token of module.exports) {
        const instance = module.providers.get(token)?.instance;
        if (instance instanceof SandboxCrmView) views.add(instance);
      }
    }
    return [...views].sort((a, b) => CRMS.indexOf(a.crm) - CRMS.indexOf(b.crm));
  }
}
