// The helpdesk's staff view: staff see with each answer the pair, its score and section and the runners-up;
// patients never do. Teams staff are named in the configuration; the console has its --staff mode.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createHarness } from '../dialogs.harness';
import { texts } from '../../render/renderer';

const STAFF = { id: '29:staff-member', name: 'Staff', aadObjectId: 'aad-staff-0001' };
const PATIENT = { id: '29:patient', name: 'Patient', aadObjectId: 'aad-patient-0002' };

describe('helpdesk staff view', () => {
  it('shows a Teams user named in STAFF_TEAMS_USER_IDS the pair, score, section and runners-up', async () => {
    const h = createHarness('msteams', { STAFF_TEAMS_USER_IDS: STAFF.aadObjectId });
    const shown = JSON.stringify(await h.send({ text: 'what are the side effects?', from: STAFF }));
    expect(shown).to.include(`${texts.staff.prefix} covered → risks.common-side-effects (score `);
    expect(shown).to.include('section “What are the risks associated with Imnovid?”');
    expect(shown).to.include('runners-up: risks.serious-side-effects');
  });

  it('never shows it to a patient, in Teams or elsewhere', async () => {
    const teams = createHarness('msteams', { STAFF_TEAMS_USER_IDS: STAFF.aadObjectId });
    expect(
      JSON.stringify(await teams.send({ text: 'what are the side effects?', from: PATIENT })),
    ).not.to.include(texts.staff.prefix);
    // A Web Chat user who claims a staff member's ids is still a patient: only Teams vouches for its ids.
    const web = createHarness('webchat', { STAFF_TEAMS_USER_IDS: STAFF.aadObjectId });
    expect(
      JSON.stringify(await web.send({ text: 'what are the side effects?', from: STAFF })),
    ).not.to.include(texts.staff.prefix);
  });

  it('shows each part of a multi-part message, and nothing of the message itself', async () => {
    const h = createHarness('msteams', { STAFF_TEAMS_USER_IDS: STAFF.id });
    const shown = JSON.stringify(
      await h.send({ text: 'what is it for and can I drink alcohol with it?', from: STAFF }),
    );
    expect(shown).to.include(`${texts.staff.prefix} part 1: covered → what.overview`);
    expect(shown).to.include(`${texts.staff.prefix} part 2: not-covered`);
    // Each staff line as the card holds it (a JSON string), up to its closing quote.
    const lines = (shown.match(/\[staff\][^"]*/g) ?? []).flatMap((l) => l.split('\\n'));
    expect(lines.filter((l) => l.startsWith(texts.staff.prefix)).length).to.be.at.least(2);
    for (const line of lines) expect(line).not.to.match(/alcohol|drink/i);
  });

  it('is the console chat with --staff, and not without it', function () {
    this.timeout(60_000);
    const chat = (args: string[]): string =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(__dirname, '..', '..', 'cli', 'chat.ts'), ...args],
        {
          input: 'what is the starting dose?\n/quit\n',
          encoding: 'utf8',
        },
      ).stdout;
    expect(chat(['--staff'])).to.include(`${texts.staff.prefix} covered → use.dose`);
    expect(chat([])).not.to.include(texts.staff.prefix);
  });
});
