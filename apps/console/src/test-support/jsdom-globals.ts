import { TextDecoder, TextEncoder } from 'node:util';

// Browsers have these; jsdom does not, and react-router uses them when it loads.
Object.assign(globalThis, { TextEncoder, TextDecoder });
