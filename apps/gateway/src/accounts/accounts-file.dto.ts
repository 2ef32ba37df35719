import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '@lead-delivery/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

// The accounts file (ACCOUNTS_FILE): who may post leads. It holds secrets (HMAC keys) and is mounted
// from a Kubernetes Secret. API keys are never stored, only their SHA-256 (hex).

export const SIGNATURE_MODES = ['off', 'optional', 'required'] as const;
export type SignatureMode = (typeof SIGNATURE_MODES)[number];

export class RateLimitDto {
  @IsNumber() @Min(0.1) requests_per_second!: number;
  @IsNumber() @Min(1) burst!: number;
}

export class SignatureDto {
  @IsIn(SIGNATURE_MODES) mode!: SignatureMode;

  @ValidateIf((signature: SignatureDto) => signature.mode !== 'off')
  @IsIn(SIGNATURE_ALGORITHMS)
  algorithm?: SignatureAlgorithm;

  /** HMAC shared secrets (several during a rotation). */
  @ValidateIf((signature: SignatureDto) => signature.mode !== 'off' && signature.algorithm === 'hmac-sha256')
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  secrets?: string[];

  /** PEM public keys for Ed25519 / RSA-SHA256 (several during a rotation). */
  @ValidateIf((signature: SignatureDto) => signature.mode !== 'off' && signature.algorithm !== 'hmac-sha256')
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  public_keys?: string[];
}

export class AccountDto {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'must be a lowercase id (a-z, 0-9, . _ -)' })
  id!: string;
  @IsOptional() @IsString() name?: string;
  @IsBoolean() enabled!: boolean;

  @IsArray()
  @ArrayMinSize(1)
  @Matches(/^[0-9a-f]{64}$/, {
    each: true,
    message: 'each key must be a SHA-256 hex digest (64 lowercase hex chars)',
  })
  api_key_sha256!: string[];

  @ValidateNested() @Type(() => SignatureDto) signature: SignatureDto = { mode: 'off' };
  @IsOptional() @ValidateNested() @Type(() => RateLimitDto) rate_limit?: RateLimitDto;
}

export class AccountsFileDto {
  @IsOptional() @ValidateNested() @Type(() => RateLimitDto) default_rate_limit?: RateLimitDto;

  @IsArray() @ValidateNested({ each: true }) @Type(() => AccountDto) accounts!: AccountDto[];
}
