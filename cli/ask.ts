// npm run ask -- "question" [--json] — answers one question through the same bot and exits.
// --json adds the route the turn took (safety gate, command, flow or FAQ) and what the matcher saw:
// its outcome, the matched pair, its score and the alternatives.
import { createConsoleBot, formatReply } from './consoleBot';
import { createLogger } from '../shared/log';

function usage(): never {
  console.error('usage: npm run ask -- "your question" [--json]');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');
  const question = args
    .filter((a) => !a.startsWith('--'))
    .join(' ')
    .trim();
  if (unknown.length > 0 || question === '') usage();

  // The bot's own events say which way the turn went (safety gate, command, flow or FAQ).
  const events: Record<string, unknown>[] = [];
  const bot = createConsoleBot(createLogger('debug', (line) => events.push(JSON.parse(line))));
  const replies = await bot.say(question);
  const text = replies.map((r) => formatReply(r).text).join('\n\n');
  if (!json) {
    console.log(text);
    return;
  }
  const safety = events.find((e) => e.event === 'turn.safety');
  const routed = events.find((e) => e.event === 'turn.route');
  const route = safety
    ? `safety:${String(safety.level)}:${String(safety.category)}`
    : String(routed?.route ?? 'none');
  // What the matcher makes of the question, whichever way the turn went.
  // The first medicine served: the one a single-medicine deployment answers from.
  const { matcher } = bot.medicines[0]!;
  const result = matcher.match(question);
  const candidate = (c: { pair: { id: string; question: string }; score: number; phrasing: string }) => ({
    id: c.pair.id,
    question: c.pair.question,
    score: Number(c.score.toFixed(3)),
    matchedPhrasing: c.phrasing,
  });
  const report = {
    question,
    route,
    pairId: routed?.pairId ?? null,
    matcher: {
      outcome: result.kind,
      tokens: result.tokens,
      match: result.kind === 'answer' ? candidate(result.best) : null,
      alternatives: (result.kind === 'suggest' ? result.suggestions : result.alternatives).map(candidate),
      thresholds: matcher.thresholds,
    },
    reply: text,
  };
  console.log(JSON.stringify(report, null, 2));
}

main().catch((err: Error) => {
  console.error(`ask failed: ${err.message}`);
  process.exitCode = 1;
});
