// Types of stack.mjs for the TypeScript suites that drive the stack.
import type { StackService } from './services.mjs';

export interface RunningStack {
  services: StackService[];
  url(name: string): string | undefined;
  waitAllReady(timeoutMs?: number): Promise<void[]>;
  waitReady(name: string, timeoutMs?: number): Promise<void>;
  stop(name: string, options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<void>;
  kill(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  start(name: string): void;
  stopAll(): Promise<void[]>;
}

export declare function buildServices(root: string, services: StackService[], env?: NodeJS.ProcessEnv): void;

export declare function startServices(options: {
  root: string;
  offset?: number;
  kafkaBrokers: string;
  databaseUrl: string;
  logDir: string;
  env?: NodeJS.ProcessEnv;
  onUnexpectedExit?: (service: StackService, code: number | null, signal: NodeJS.Signals | null) => void;
}): RunningStack;
