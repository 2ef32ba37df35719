import { IsEmail, IsOptional, IsString, Length, ValidateIf } from 'class-validator';

/** `POST /erasures`: the person to erase, by email, phone, or both. */
export class ErasureRequest {
  @ValidateIf((request: ErasureRequest) => request.phone === undefined || request.email !== undefined)
  @IsEmail({}, { message: 'must be an email address (give email, phone, or both)' })
  email?: string;

  @IsOptional()
  @IsString()
  @Length(3, 40)
  phone?: string;
}
