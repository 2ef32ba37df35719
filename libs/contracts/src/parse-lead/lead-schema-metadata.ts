import { getMetadataStorage } from 'class-validator';

type DtoClass = abstract new (...args: never[]) => object;

interface DtoShape {
  declared: ReadonlySet<string>;
  required: ReadonlySet<string>;
}

// DTO metadata is fixed once the classes are loaded; reading it is costly, so it is read once per class.
const shapes = new WeakMap<DtoClass, DtoShape>();

function shapeOf(dto: DtoClass): DtoShape {
  let shape = shapes.get(dto);
  if (!shape) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dto as never, '', true, false);
    shape = {
      declared: new Set(metadata.map((entry) => entry.propertyName)),
      required: new Set(
        metadata.filter((entry) => entry.type === 'isDefined').map((entry) => entry.propertyName),
      ),
    };
    shapes.set(dto, shape);
  }
  return shape;
}

/** Property names a DTO class declares (every property has at least one validation decorator). */
export const declaredProperties = (dto: DtoClass): ReadonlySet<string> => shapeOf(dto).declared;

/** Properties marked @IsDefined, i.e. required by the spec. */
export const requiredProperties = (dto: DtoClass): ReadonlySet<string> => shapeOf(dto).required;
