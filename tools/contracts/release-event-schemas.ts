// Release step of @lead-delivery/contracts: makes the committed event schemas
// (libs/contracts/schemas/events) the compatibility baseline (libs/contracts/schemas/released), after
// checking that they break no released event. Run it when publishing a new version; commit the result.
// Usage: npm run contracts:release-schemas
import { EVENT_SCHEMAS_DIR, RELEASED_SCHEMAS_DIR } from '../asyncapi/event-schemas';
import { describeIncompatibilities, releaseEventSchemas } from './released-event-schemas';

const incompatible = releaseEventSchemas({ current: EVENT_SCHEMAS_DIR, released: RELEASED_SCHEMAS_DIR });
if (incompatible.length > 0) {
  console.error(
    'not released: these changes break consumers of a released event (publish a new event version instead):',
  );
  console.error(describeIncompatibilities(incompatible));
  process.exit(1);
}
console.log(
  'libs/contracts/schemas/released now holds the current event schemas; commit it with the release',
);
