import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details.filter';

/** One invalid input: `parameter` names a query parameter, `pointer` a body member (RFC 6901). */
export class InputErrorDocument {
  @ApiPropertyOptional({ type: String, example: 'until' })
  parameter?: string;

  @ApiPropertyOptional({ type: String, example: '/phone' })
  pointer?: string;

  @ApiProperty({ type: String, example: 'must be after since' })
  detail!: string;
}

/** The RFC 9457 problem every error of the read API is (see `Problem`). */
export class ProblemDocument {
  @ApiProperty({ type: String, format: 'uri-reference', example: 'about:blank' })
  type!: string;

  @ApiProperty({ type: String, example: 'Bad Request' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiPropertyOptional({ type: String })
  detail?: string;

  @ApiProperty({ type: String, format: 'uri-reference', description: 'The request path and query.' })
  instance!: string;

  @ApiPropertyOptional({ type: [InputErrorDocument], description: 'Every invalid input, on a 400.' })
  errors?: InputErrorDocument[];
}

const PROBLEMS = {
  400: 'Invalid input: every invalid parameter or body member is listed in `errors`; unknown ones too.',
  401: 'No operator token, or not the right one (`WWW-Authenticate: Bearer`).',
  403: 'The token is valid but lacks the scope the operation needs (`read`; `erase` for erasures, `replay` to replay dead letters).',
  404: 'Nothing stored under these ids.',
  500: 'An unexpected failure, e.g. PostgreSQL unreachable; details are only in the service log.',
} as const;

export type ProblemStatus = keyof typeof PROBLEMS;

/** Documents the RFC 9457 problems an operation answers with, besides 401, 403 and 500, which every one can. */
export function ApiProblemResponses(...statuses: ProblemStatus[]) {
  const all = [...new Set<ProblemStatus>([...statuses, 401, 403, 500])].sort();
  return applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...all.map((status) =>
      ApiResponse({
        status,
        description: PROBLEMS[status],
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocument) } } },
        ...(status === 401
          ? {
              headers: {
                'WWW-Authenticate': { description: 'Bearer realm="persistence"', schema: { type: 'string' } },
              },
            }
          : {}),
      }),
    ),
  );
}
