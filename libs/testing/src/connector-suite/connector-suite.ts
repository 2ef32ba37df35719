/// <reference types="jest" />
import { activitiesOf, type ConnectorSuiteSubject } from './connector-suite-subject';
import { describeDelivery } from './delivery.suite';
import { describeFaults } from './faults.suite';
import { describeRedelivery } from './redelivery.suite';
import { useSandboxedConnector } from './sandboxed-connector';

/**
 * The integration suite every connector runs (real Kafka, PostgreSQL and crm-sandbox, no mocks):
 * delivery, redelivery and faults, against the subject's sandbox CRM and read back from it.
 */
export function describeConnectorSuite(subject: ConnectorSuiteSubject): void {
  describe(`${subject.connector.group}: the connector integration suite (crm-sandbox, real Kafka, PostgreSQL)`, () => {
    const crm = useSandboxedConnector(subject);
    describe('delivery', () => describeDelivery(subject, crm));
    const activities = activitiesOf(subject);
    if (activities) describe('redelivery', () => describeRedelivery(subject, activities, crm));
    describe('faults', () => describeFaults(subject, crm));
  });
}
