// npm run chat — a console conversation with the bot, for trying it and for the pharmacy helpdesk.
// Type a question, or the number of a choice; "/quit" (or Ctrl+D) leaves. Plain "quit" or "stop" go to
// the bot, which reads them as "cancel" as in every other channel.
import { createInterface } from 'node:readline/promises';
import { createConsoleBot, formatReply } from './consoleBot';
import type { Activity } from 'botbuilder';

async function main(): Promise<void> {
  // --staff: the helpdesk's view, with the pair, score, section and runners-up of each answer.
  const bot = createConsoleBot(undefined, { staff: process.argv.includes('--staff') });
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let choices: string[] = [];
  const show = (replies: Partial<Activity>[]): void => {
    for (const reply of replies) {
      const shown = formatReply(reply);
      if (shown.choices.length > 0) choices = shown.choices;
      console.log(`\nbot> ${shown.text.replace(/\n/g, '\n     ')}`);
    }
  };

  show(await bot.start());
  const prompt = (): boolean => process.stdout.write('\nyou> ');
  prompt();
  // Reading lines as a stream (not question()) keeps piped input intact: the helpdesk can script it.
  for await (const line of rl) {
    const text = line.trim();
    if (/^\/(quit|exit)$/i.test(text)) break;
    const picked = /^\d+$/.test(text) ? choices[Number(text) - 1] : undefined;
    if (picked) console.log(`     (${picked})`);
    choices = [];
    show(await bot.say(picked ?? line));
    prompt();
  }
  rl.close();
}

main().catch((err: Error) => {
  console.error(`chat stopped: ${err.message}`);
  process.exitCode = 1;
});
