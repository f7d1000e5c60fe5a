// npm run ask -- "question" [--json] — answers one question through the same bot and exits.
// --json adds what the matcher saw: the outcome, the matched pair, its score and the alternatives.
import { createConsoleBot, formatReply } from './consoleBot';
import { createSafetyGate } from '../safety/gate';
import { loadConfig } from '../config';

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

  const bot = createConsoleBot();
  const replies = await bot.say(question);
  const text = replies.map((r) => formatReply(r).text).join('\n\n');
  if (!json) {
    console.log(text);
    return;
  }
  const safety = createSafetyGate({ emergencyNumber: loadConfig().emergencyNumber }).check(question);
  const result = bot.knowledge.matcher.match(question);
  const candidate = (c: { pair: { id: string; question: string }; score: number; phrasing: string }) => ({
    id: c.pair.id,
    question: c.pair.question,
    score: Number(c.score.toFixed(3)),
    matchedPhrasing: c.phrasing,
  });
  const report = {
    question,
    safety: safety ? { kind: safety.kind, category: safety.category } : null,
    outcome: safety ? `safety:${safety.kind}` : result.kind,
    tokens: result.tokens,
    match: result.kind === 'answer' ? candidate(result.best) : null,
    alternatives: (result.kind === 'suggest' ? result.suggestions : result.alternatives).map(candidate),
    thresholds: bot.knowledge.matcher.thresholds,
    reply: text,
  };
  console.log(JSON.stringify(report, null, 2));
}

main().catch((err: Error) => {
  console.error(`ask failed: ${err.message}`);
  process.exitCode = 1;
});
