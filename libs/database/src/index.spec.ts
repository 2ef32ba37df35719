// The connectors use this lib without TypeORM; any module of it that loaded TypeORM would fail here.
jest.mock('typeorm', () => {
  throw new Error('TypeORM was loaded');
});

import { classifyDatabaseFailure, migrateWhenReachable, toDatabaseError } from './index';

describe('@lead-delivery/database without TypeORM', () => {
  it('loads, and classifies database errors', () => {
    const driverError = Object.assign(new Error('terminating connection'), { code: '57P01' });
    expect(toDatabaseError(driverError)).toBe(driverError);
    expect(classifyDatabaseFailure(driverError)).toBe('infrastructure');
    expect(migrateWhenReachable).toBeInstanceOf(Function);
  });
});
