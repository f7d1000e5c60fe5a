// npm run package:teams [-- --team-scope] [-- --allow-placeholder] [-- --out path/to/app.zip]
// Writes teams/build/<name>-teams-app.zip for upload to Teams (<name>: the medicine's id, or the
// deployment's name). The work is done by buildTeamsPackage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfig, type Config } from '../config';
import { buildTeamsPackage, TeamsPackageError } from './app-package';
import { loadMedicines } from '../knowledge/load';
import { deploymentNames } from '../render/deployment';

interface CliArgs {
  allowPlaceholder: boolean;
  teamScope: boolean;
  /** Undefined: teams/build/<name>-teams-app.zip. */
  out?: string;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { allowPlaceholder: false, teamScope: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--allow-placeholder') args.allowPlaceholder = true;
    else if (arg === '--team-scope') args.teamScope = true;
    else if (arg === '--out' && argv[i + 1]) args.out = resolve(argv[++i]);
    else
      throw new TeamsPackageError(
        `Unknown argument "${arg}". Usage: package.ts [--team-scope] [--allow-placeholder] [--out file.zip]`,
      );
  }
  return args;
}

/** Runs the CLI; returns the process exit code. */
export async function runPackageCli(
  argv: string[],
  config: Config,
  log: Pick<Console, 'log' | 'error'> = console,
): Promise<number> {
  try {
    const args = parseArgs(argv);
    // The app is named after what the bot serves: the same MEDICINES and MEDICINES_DIR.
    const medicines = loadMedicines(config.medicines.ids, config.medicines.dir);
    const pkg = await buildTeamsPackage(config, {
      allowPlaceholder: args.allowPlaceholder,
      teamScope: args.teamScope,
      medicines,
    });
    const out =
      args.out ??
      join(__dirname, 'build', `${deploymentNames(medicines, config.deployment).slug}-teams-app.zip`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, pkg.zip);
    for (const warning of pkg.warnings) log.error(`warning: ${warning}`);
    log.log(`Wrote ${out} (Teams app id ${pkg.manifest.id}, bot id ${pkg.manifest.bots[0].botId}).`);
    return 0;
  } catch (error) {
    if (!(error instanceof TeamsPackageError)) throw error;
    log.error(`error: ${error.message}`);
    return 1;
  }
}

if (require.main === module) {
  runPackageCli(process.argv.slice(2), loadConfig()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
