// `worker --metrics-port`: a Prometheus text endpoint on GET /metrics — BullMQ's own job counts per
// queue and state (Queue#exportPrometheusMetrics), plus this worker's counters. node:http only.
import http from 'node:http';
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';

export interface WorkerCounters {
  slides: number;
  decks: number;
  handedBack: number;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function serveMetrics(port: number, host: string, queues: Queue[], counters: WorkerCounters): Promise<MetricsServer> {
  const labels = `worker="${hostname()}:${process.pid}"`;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end('not found: GET /metrics\n');
      return;
    }
    Promise.all(queues.map((q) => q.exportPrometheusMetrics()))
      .then((parts) => {
        const own = [
          '# HELP slide_illustrate_worker_jobs_total Jobs this worker process finished, by kind.',
          '# TYPE slide_illustrate_worker_jobs_total counter',
          `slide_illustrate_worker_jobs_total{${labels},kind="slide"} ${counters.slides}`,
          `slide_illustrate_worker_jobs_total{${labels},kind="deck"} ${counters.decks}`,
          '# HELP slide_illustrate_worker_handed_back_total Jobs handed back to the queue at a stop.',
          '# TYPE slide_illustrate_worker_handed_back_total counter',
          `slide_illustrate_worker_handed_back_total{${labels}} ${counters.handedBack}`,
        ];
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${[...parts, own.join('\n')].join('\n')}\n`);
      })
      .catch((error: unknown) => res.writeHead(503).end(`redis unavailable: ${(error as Error).message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
