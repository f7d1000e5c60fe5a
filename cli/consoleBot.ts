// The same bot the server runs (same safety gate, dialogs and answers), wired to the console adapter.
import { MemoryStorage, type Activity } from 'botbuilder';
import { loadConfig } from '../config';
import { MedicineBot } from '../bots/medicineBot';
import { installErrorHandler } from '../bots/errorHandler';
import { loadMedicines, type LoadedKnowledge } from '../knowledge/load';
import { silentLogger, type Logger } from '../shared/log';
import { ConsoleAdapter } from './consoleAdapter';
import { topicLine } from '../render/renderer';
import { deploymentNames } from '../render/deployment';

export interface ConsoleBot {
  medicines: LoadedKnowledge[];
  /** Conversation start: the welcome. */
  start(): Promise<Partial<Activity>[]>;
  say(text: string): Promise<Partial<Activity>[]>;
}

/**
 * @param log where the bot's events go; silent by default, as a helpdesk screen shows the conversation only.
 * @param options.staff the helpdesk's staff view: each answer shows its pair, score, section and runners-up.
 */
export function createConsoleBot(log: Logger = silentLogger, options: { staff?: boolean } = {}): ConsoleBot {
  const config = loadConfig();
  const medicines = loadMedicines(config.medicines.ids, config.medicines.dir);
  const adapter = new ConsoleAdapter(deploymentNames(medicines, config.deployment).botName);
  const bot = new MedicineBot({ config, medicines, storage: new MemoryStorage(), log, staff: options.staff });
  installErrorHandler(adapter, [bot.privateState], log);
  const logic = (context: Parameters<MedicineBot['run']>[0]): Promise<void> => bot.run(context);
  return {
    medicines,
    start: () => adapter.start(logic),
    say: (text) => adapter.turn({ text }, logic),
  };
}

/**
 * Reply text plus its buttons, numbered so the user can type the number. A list the text already numbers
 * the same way (the "topics" list) is not shown twice.
 */
export function formatReply(reply: Partial<Activity>): { text: string; choices: string[] } {
  const actions = reply.suggestedActions?.actions ?? [];
  const choices = actions.map((a) => String(a.value ?? a.title));
  const titles = actions.map((a, i) => topicLine(i + 1, { title: String(a.title), value: '' }));
  const shown = titles.filter((line) => !(reply.text ?? '').includes(line));
  return { text: [reply.text ?? '', ...shown].filter(Boolean).join('\n'), choices };
}
