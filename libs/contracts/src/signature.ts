// `@lead-delivery/contracts/signature`: signing and verifying lead bodies (needs the optional peer
// canonicalize), and the keyed hash of erased identities.
export * from './signature/lead-signature';
export * from './signature/identity-hash';
