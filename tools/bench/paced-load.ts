import { Agent, request } from 'node:http';

export interface PacedResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Open-loop load at a fixed rate, evenly spaced (autocannon's `overallRate` sends each second's quota in a
 * burst at the start of the second and then corrects for coordinated omission with a 1 ms interval, which
 * put every target's p99 at about 1.3 s). Latency counts from when a request was due, so a server that
 * falls behind is charged for the wait.
 */
export async function pacedLoad(
  url: string,
  bodies: string[],
  headers: Record<string, string>,
  options: { rate: number; durationS: number; connections: number },
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(url);
  const total = options.rate * options.durationS;
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];

  const send = (index: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const body = bodies[index % bodies.length] as string;
      const req = request(
        target,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => {
            if ((response.statusCode ?? 0) >= 300) errors += 1;
            latencies.push(performance.now() - dueAt);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });

  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1_000) * options.rate));
      for (; sent < due; sent++) inFlight.push(send(sent, started + (sent / options.rate) * 1_000));
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - started) / 1_000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requestsPerSecond: latencies.length / elapsedS, p50: at(0.5), p99: at(0.99), errors };
}
