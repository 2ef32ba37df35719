// Types of services.mjs for the TypeScript tools that share it (demo.ts, the stack test).
export declare const LOCAL_OPERATOR_TOKEN: string;

export interface StackService {
  name: string;
  script: string;
  env: Record<string, string>;
  ready: string;
  url?: string;
}

export declare function stackServices(options: {
  root: string;
  offset?: number;
  kafkaBrokers: string;
  databaseUrl: string;
}): StackService[];
