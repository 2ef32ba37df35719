import { NotFoundException, type PipeTransform } from '@nestjs/common';
import { CRMS, type Crm } from '../common/crm';

export class CrmPipe implements PipeTransform<string, Crm> {
  transform(value: string): Crm {
    if (!(CRMS as readonly string[]).includes(value)) {
      throw new NotFoundException(`unknown CRM "${value}"; known: ${CRMS.join(', ')}`);
    }
    return value as Crm;
  }
}
