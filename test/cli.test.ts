// The console entry points, run as the helpdesk runs them: real processes, real stdin/stdout.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import kb from '../knowledge/medicines/imnovid/kb.json';

const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function run(
  script: string,
  args: string[],
  input = '',
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, [join(root, 'cli', script), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, EMERGENCY_NUMBER: '112', LOG_LEVEL: 'error' },
    timeout: 30000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('console tools', function () {
  this.timeout(60000);

  it('npm run ask answers one question with its source and exits 0', () => {
    const { status, stdout } = run('ask.ts', ['What is Imnovid used for?']);
    expect(status).to.equal(0);
    expect(stdout).to.include(kb.pairs.find((p) => p.id === 'what.overview')!.answer[0]);
    expect(stdout).to.include('Source: EMA overview, April 2019.');
  });

  it('npm run ask -- --json reports the route taken, the matched pair, its score and the alternatives', () => {
    const { status, stdout } = run('ask.ts', ['What is Imnovid used for?', '--json']);
    expect(status).to.equal(0);
    const report = JSON.parse(stdout) as {
      route: string;
      pairId: string;
      matcher: { outcome: string; match: { id: string; score: number }; alternatives: { score: number }[] };
      reply: string;
    };
    expect(report.route).to.equal('faq:covered');
    expect(report.pairId).to.equal('what.overview');
    expect(report.matcher.outcome).to.equal('answer');
    expect(report.matcher.match.id).to.equal('what.overview');
    expect(report.matcher.match.score).to.be.within(0, 1);
    for (const alt of report.matcher.alternatives)
      expect(alt.score).to.be.at.most(report.matcher.match.score);
    expect(report.reply).to.include('EMA overview');
  });

  it('npm run ask -- --json reports a flow or a red flag as the route, never as a matched answer', () => {
    const flow = JSON.parse(run('ask.ts', ['am I at risk', '--json']).stdout) as {
      route: string;
      reply: string;
    };
    expect(flow.route).to.equal('flow:risk');
    const urgent = JSON.parse(run('ask.ts', ['I took too many capsules by mistake', '--json']).stdout) as {
      route: string;
      pairId: unknown;
      reply: string;
    };
    expect(urgent.route).to.equal('safety:emergency:overdose');
    expect(urgent.pairId).to.equal(null);
    expect(urgent.reply).to.include('112');
  });

  it('npm run ask without a question prints usage and exits 2', () => {
    const { status, stderr } = run('ask.ts', []);
    expect(status).to.equal(2);
    expect(stderr).to.match(/usage/);
  });

  it('npm run chat holds a conversation: welcome, numbered choices, a guided flow and follow-ups', () => {
    const { status, stdout } = run(
      'chat.ts',
      [],
      'hello\n1\n2\nwhat about men?\n/quit\nthis line is never read\n',
    );
    expect(status).to.equal(0);
    expect(stdout).to.match(/Hello! I answer questions about Imnovid/);
    expect(stdout).to.match(/1\. How do I take it\?/);
    expect(stdout).to.include('Which combination did your doctor prescribe?');
    expect(stdout).to.include(
      'in the first 3 weeks of 4-week treatment cycles when given in combination with dexamethasone only',
    );
    expect(stdout).to.include(kb.pairs.find((p) => p.id === 'risks.men')!.answer[0]);
  });
});
