import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** One person who already inquired, each inquiry a lead id. */
export class SeedPersonDto {
  /** HubSpot: the contact's key. Salesforce: the Lead's Email. */
  @IsEmail()
  email!: string;

  /** Salesforce (required there): the value of `keyField` on the person's Lead, e.g. `acct-a:person-1`. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  key?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  firstName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(80)
  lastName?: string;

  /** One activity (HubSpot note, Salesforce Task) per lead id, oldest first. */
  @IsArray()
  @ArrayMaxSize(1_000)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  leadIds!: string[];
}

export class SeedHistoryDto {
  /** The account whose leads these were: it is named in every activity's marker line. */
  @IsString()
  @Matches(/^[^\s()]+$/, { message: 'accountId must have no spaces or parentheses' })
  accountId!: string;

  /** Salesforce: the Lead External ID field the people's `key` goes in (per-person mode's key). */
  @IsString()
  @IsNotEmpty()
  keyField = 'Realtor_Person_Key__c';

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100_000)
  @ValidateNested({ each: true })
  @Type(() => SeedPersonDto)
  people!: SeedPersonDto[];
}
