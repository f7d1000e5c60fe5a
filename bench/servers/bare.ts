// The floor of the HTTP stack: restify with the same body parser as the bot, answering every POST with a
// fixed JSON reply shaped like an expectReplies response. No Bot Framework code runs.
import * as restify from 'restify';
import { serveForBenchmark } from './child';

const reply = { activities: [{ type: 'message', text: 'fixed reply' }] };

const server = restify.createServer({ name: 'bench-bare', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', async (_req, res) => {
  res.send(200, reply);
});
serveForBenchmark(server);
