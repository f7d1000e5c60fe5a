// Wires config → storage → adapter → bot → server. Run directly to start listening.
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { HttpCloudAdapter } from './server/adapter';
import type * as restify from 'restify';
import type { Storage } from 'botbuilder';
import type { DirectLineChannel } from './channels/directline';
import { loadConfig, type Config } from './config';
import { MedicineBot } from './bots/medicineBot';
import { createServer, listen } from './server/app';
import { createLogger, type Logger } from './shared/log';
import { BoundedMemoryStorage, createStorage } from './server/storage';
import { Metrics, withMetrics } from './server/metrics';
import { installErrorHandler } from './bots/errorHandler';
import { loadMedicines } from './knowledge/load';
import { tuneHeap } from './server/heap';

export interface App {
  config: Config;
  server: restify.Server;
  /** The local Direct Line channel, when it is mounted (anonymous mode). */
  directLine: DirectLineChannel | undefined;
  adapter: HttpCloudAdapter;
  bot: MedicineBot;
  storage: Storage;
  log: Logger;
  /** The server's Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  /** Stops everything createApp started: the channel's streams and timers, then the server. */
  close(): Promise<void>;
}

export function createApp(
  config: Config = loadConfig(),
  log: Logger = createLogger(config.logLevel),
  metrics: Metrics = new Metrics(),
): App {
  const medicines = loadMedicines(config.medicines.ids, config.medicines.dir);
  // Build the auth options explicitly: passing all of process.env would leak unrelated settings into the SDK.
  const auth = new ConfigurationBotFrameworkAuthentication({ ...config.auth });
  const adapter = new HttpCloudAdapter(auth, config.http.replyTimeoutMs);
  const storage = createStorage(config.storage, log);
  if (storage instanceof BoundedMemoryStorage) metrics.watchState(() => storage.size);
  // The bot's turn events (turn.route, turn.safety) are counted on their way to the log.
  const bot = new MedicineBot({ config, medicines, storage, log: withMetrics(log, metrics) });
  installErrorHandler(adapter, [bot.privateState], log);
  const { server, directLine, close } = createServer({
    config,
    adapter,
    bot,
    knowledge: medicines.map((m) => m.info),
    // The medicines the bot serves: the page, the widget and the channel are named after them.
    medicines,
    log,
    metrics,
  });
  // The recorder's daily retention sweep stops with the app, once its pending records are written.
  const closeAll = async (): Promise<void> => {
    await close();
    await bot.recorder.close();
  };
  return { config, server, directLine, adapter, bot, storage, log, metrics, close: closeAll };
}

if (require.main === module) {
  tuneHeap();
  let app: App;
  try {
    app = createApp();
  } catch (err) {
    // A bad setting (PORT=abc) deserves one clear line, not a stack trace.
    console.error(`Cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  listen(app.server, app.config.port).then(
    (port) => app.log.info('server.listening', { port, url: `http://localhost:${port}/` }),
    (err: Error) => {
      app.log.error('server.listen_failed', { error: err.message });
      process.exitCode = 1;
    },
  );
}
