import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { CrmEndpoint, type CrmEndpointName } from './crm-endpoint.decorator';

/**
 * The CRM endpoints the loaded modules serve: every `@CrmEndpoint` name on their controllers' methods, so
 * that a CRM module declares its endpoints where it serves them and no list is kept by hand.
 */
@Injectable()
export class CrmEndpoints {
  private names?: readonly CrmEndpointName[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Every endpoint, once; read when first asked, after all controllers are loaded. */
  all(): readonly CrmEndpointName[] {
    this.names ??= [
      ...new Set(this.discovery.getControllers().flatMap(({ metatype }) => this.declaredBy(metatype))),
    ];
    return this.names;
  }

  /** The endpoints of one CRM (`<crm>.…`). */
  of(crm: string): CrmEndpointName[] {
    return this.all().filter((name) => name.startsWith(`${crm}.`));
  }

  private declaredBy(controller: unknown): CrmEndpointName[] {
    if (typeof controller !== 'function') return [];
    const prototype = controller.prototype as Record<string, unknown>;
    return this.scanner.getAllMethodNames(prototype).flatMap((method) => {
      const name = this.reflector.get(CrmEndpoint, prototype[method] as () => unknown);
      return name === undefined ? [] : [name];
    });
  }
}
