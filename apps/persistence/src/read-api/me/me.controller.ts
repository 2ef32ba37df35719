import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { CurrentOperator } from '../http/current-operator.decorator';
import { OPERATOR_SCOPES, type Operator } from '../http/operator-tokens';
import { ApiProblemResponses } from '../http/problem.responses';
import { RequiresScope } from '../http/requires-scope.decorator';

export class OperatorDocument {
  @ApiProperty({ type: String, description: "The token's name in OPERATOR_TOKENS." })
  name!: string;

  @ApiProperty({ enum: OPERATOR_SCOPES, isArray: true })
  scopes!: string[];
}

/** Who the token is and what it may do: the console signs in with it and shows only what the scopes allow. */
@Controller('me')
export class MeController {
  @Get()
  @RequiresScope('any')
  @ApiOperation({ operationId: 'getOperator', summary: "The operator token's name and scopes" })
  @ApiOkResponse({ type: OperatorDocument })
  @ApiProblemResponses()
  me(@CurrentOperator() operator: Operator): OperatorDocument {
    return { name: operator.name, scopes: OPERATOR_SCOPES.filter((scope) => operator.scopes.has(scope)) };
  }
}
