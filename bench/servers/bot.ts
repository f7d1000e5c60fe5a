// This bot as it runs in production (createApp and the heap tuning of index.ts), errors-only config and
// a silent logger.
import { createApp } from '../../index';
import { loadConfig } from '../../config';
import { silentLogger } from '../../shared/log';
import { tuneHeap } from '../../server/heap';
import { serveForBenchmark } from './child';

tuneHeap();
// One load generator on one address: the per-address message limit would refuse almost every turn.
serveForBenchmark(
  createApp(loadConfig({ LOG_LEVEL: 'error', MESSAGES_PER_MINUTE: '0' }), silentLogger).server,
);
