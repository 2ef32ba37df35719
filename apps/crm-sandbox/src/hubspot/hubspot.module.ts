import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ContactsController } from './contacts.controller';
import { HubspotErasureController } from './erasure.controller';
import { HubspotAdminController } from './hubspot-admin.controller';
import { HubspotApiGuard } from './hubspot-api.guard';
import { HubspotCrm } from './hubspot-crm.service';
import { HUBSPOT_PORTALS, parseHubspotPortals } from './hubspot-portals';
import { HubspotSandboxView } from './hubspot-sandbox-view';
import { HubspotStore } from './hubspot-store.service';
import { HubspotConfig } from './hubspot.config';
import { NotesController } from './notes.controller';

/** The fake HubSpot: private-app token auth and the CRM v3/v4 subset the connector uses. */
@Global()
@Module({})
export class HubspotModule {
  static register(config: HubspotConfig): DynamicModule {
    return {
      module: HubspotModule,
      controllers: [ContactsController, NotesController, HubspotErasureController, HubspotAdminController],
      providers: [
        { provide: HubspotConfig, useValue: config },
        { provide: HUBSPOT_PORTALS, useValue: parseHubspotPortals(config.HUBSPOT_PORTALS) },
        HubspotStore,
        HubspotCrm,
        HubspotApiGuard,
        HubspotSandboxView,
      ],
      exports: [HubspotStore, HubspotCrm, HubspotSandboxView],
    };
  }
}
