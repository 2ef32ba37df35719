import { getMetadataStorage } from 'class-validator';

type DtoClass = abstract new (...args: never[]) => object;

function metadataOf(dto: DtoClass) {
  return getMetadataStorage().getTargetValidationMetadatas(dto as never, '', true, false);
}

/** Property names a DTO class declares (every property has at least one validation decorator). */
export function declaredProperties(dto: DtoClass): ReadonlySet<string> {
  return new Set(metadataOf(dto).map((metadata) => metadata.propertyName));
}

/** Properties marked @IsDefined, i.e. required by the spec. */
export function requiredProperties(dto: DtoClass): ReadonlySet<string> {
  return new Set(
    metadataOf(dto)
      .filter((metadata) => metadata.type === 'isDefined')
      .map((metadata) => metadata.propertyName),
  );
}
