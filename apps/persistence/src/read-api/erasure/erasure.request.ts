import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';

/** `POST /erasures`: the person to erase, by email, phone, or both; in one account or in every account. */
export class ErasureRequest {
  @ApiPropertyOptional({ type: String, format: 'email', description: 'Required unless `phone` is given.' })
  @ValidateIf((request: ErasureRequest) => request.phone === undefined || request.email !== undefined)
  @IsEmail({}, { message: 'must be an email address (give email, phone, or both)' })
  email?: string;

  @ApiPropertyOptional({
    type: String,
    minLength: 3,
    maxLength: 40,
    description: 'Any format; a number without a country code is read as in PHONE_DEFAULT_COUNTRY.',
  })
  @IsOptional()
  @IsString()
  @Length(3, 40)
  phone?: string;

  @ApiPropertyOptional({
    type: String,
    description: "Erase only this account's data; without it, the person is erased in every account.",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'must be an account id' })
  account_id?: string;
}
