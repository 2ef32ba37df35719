import { EnvVar } from '@lead-delivery/config';
import { IsOptional, IsString, MinLength } from 'class-validator';

/** The key connectors hash leads' emails and phones with, to recognise erased (suppressed) identities. */
export class SuppressionConfig {
  @EnvVar({
    description:
      "Persistence's ERASURE_HASH_KEY: connectors hash each lead's email and phone with it and deliver none of an erased identity (identities.suppressed.v1). Unset: the connector cannot recognise erased identities and delivers them (logged at startup).",
    secret: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters long' })
  ERASURE_HASH_KEY?: string;
}
