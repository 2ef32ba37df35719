// `@lead-delivery/contracts/signature`: signing and verifying lead bodies. Needs the optional peer canonicalize.
export * from './signature/lead-signature';
