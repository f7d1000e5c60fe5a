// This bot as it runs in production (createApp from index.ts), errors-only config and a silent logger.
import { createApp } from '../../index';
import { loadConfig } from '../../config';
import { silentLogger } from '../../server/log';
import { serveForBenchmark } from './child';

serveForBenchmark(createApp(loadConfig({ LOG_LEVEL: 'error' }), silentLogger).server);
