export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
export const LIVENESS_CHECKS = Symbol('LIVENESS_CHECKS');
export const LOGGER = Symbol('LOGGER');
