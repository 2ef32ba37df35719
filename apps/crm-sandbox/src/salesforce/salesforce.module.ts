import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SandboxConfig } from '../sandbox.config';
import { SalesforceAdminController } from './salesforce-admin.controller';
import { CollectionsErasureController } from './collections-erasure.controller';
import { CollectionsController } from './collections.controller';
import { CompositeController } from './composite.controller';
import { QueryController } from './query.controller';
import { SObjectsController } from './sobjects.controller';
import { SalesforceApiGuard } from './salesforce-api.guard';
import { SOBJECT_SCHEMAS, SalesforceDml } from './salesforce-dml.service';
import { SalesforceLoginGuard } from './salesforce-login.guard';
import { SalesforceOauthController } from './salesforce-oauth.controller';
import { parseSalesforceOrgs } from './salesforce-orgs';
import { SalesforceSandboxView } from './salesforce-sandbox-view';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SALESFORCE_ORGS, SalesforceStore } from './salesforce-store.service';
import { SalesforceConfig } from './salesforce.config';
import { buildSchemas } from './sobject-schema';

/** The fake Salesforce: OAuth token endpoint and the REST API subset the connector uses (writes, reads, SOQL). */
@Global()
@Module({})
export class SalesforceModule {
  static register(config: SalesforceConfig, sandbox: SandboxConfig): DynamicModule {
    return {
      module: SalesforceModule,
      controllers: [
        SalesforceOauthController,
        CollectionsController,
        CompositeController,
        CollectionsErasureController,
        SObjectsController,
        QueryController,
        SalesforceAdminController,
      ],
      providers: [
        { provide: SalesforceConfig, useValue: config },
        { provide: SandboxConfig, useValue: sandbox },
        { provide: SALESFORCE_ORGS, useValue: parseSalesforceOrgs(config.SALESFORCE_ORGS) },
        { provide: SOBJECT_SCHEMAS, useValue: buildSchemas(config) },
        SalesforceSessions,
        SalesforceStore,
        SalesforceDml,
        SalesforceApiGuard,
        SalesforceLoginGuard,
        SalesforceSandboxView,
      ],
      exports: [SalesforceStore, SalesforceSessions, SalesforceDml, SalesforceSandboxView],
    };
  }
}
