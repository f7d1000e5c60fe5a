// The HTTP surface: restify server with the Bot Framework endpoint, health, and the web channels.
import * as restify from 'restify';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from './log';
import { mountDirectLine } from '../channels/directline';
import { mountWeb } from '../channels/web';
import { activityProblem } from './activityCheck';
import { refuseServiceUrl } from './serviceUrlPolicy';

export interface KnowledgeInfo {
  documentId: string;
  lastUpdated: string;
  medicine: string;
  pairs: number;
}

export interface ServerDeps {
  config: Config;
  adapter: CloudAdapter;
  bot: ActivityHandler;
  knowledge: KnowledgeInfo;
  log: Logger;
}

export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, knowledge, log } = deps;
  const server = restify.createServer({ name: 'imnovid-info-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  // bodyParser answers malformed JSON with 400 before any handler runs.
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { error: 'BadRequest', message: problem });
      return;
    }
    if (refuseServiceUrl(req, res, deps.config, log)) return;
    await adapter.process(req, res, (context) => bot.run(context));
  });

  mountDirectLine(server, { config: deps.config, log });
  mountWeb(server, { config: deps.config, log });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok', knowledgeBase: knowledge });
  });

  server.on('restifyError', (req, _res, err, callback) => {
    log.info('http.error', {
      method: req.method,
      path: req.getPath(),
      status: err.statusCode,
      name: err.name,
    });
    return callback();
  });

  return server;
}

/** Starts listening; resolves with the bound port (useful with port 0 in tests). */
export async function listen(server: restify.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const address = server.address();
  return address.port;
}
