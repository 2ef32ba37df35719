import { BadRequestException } from '@nestjs/common';
import type { CrmEndpoints } from '../common/crm-endpoints';
import type { LostAnswersDto } from './fault-settings.dto';

/** Its answers are the session the other calls need: losing them would test nothing the connectors face. */
const NEVER_LOST = new Set(['salesforce.oauth.token']);

/** Lost answers may name one API endpoint of the CRM they are set for (400 otherwise). */
export function checkLostAnswersEndpoint(
  endpoints: CrmEndpoints,
  crm: string,
  { endpoint }: LostAnswersDto,
): void {
  if (endpoint === undefined) return;
  const losable = endpoints.of(crm).filter((name) => !NEVER_LOST.has(name));
  if (!losable.includes(endpoint)) {
    throw new BadRequestException([
      `endpoint: ${endpoint} is not an API endpoint of ${crm} (known: ${losable.join(', ')}; the Salesforce token endpoint never loses answers)`,
    ]);
  }
}
