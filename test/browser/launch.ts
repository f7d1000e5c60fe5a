// Headless Chromium for the browser tests: the build shipped inside the @sparticuz/chromium npm package
// (decompressed to /tmp on first use), driven by playwright-core. No system browser is needed.
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/**
 * Flags of sparticuz's serverless preset that would make the browser unlike a visitor's: one process for
 * everything, and no same-origin policy (which would hide CORS and framing mistakes).
 */
const UNREALISTIC_FLAGS = new Set([
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
  "--headless='shell'",
]);

export async function launchBrowser(): Promise<Browser> {
  const executablePath = await sparticuz.executablePath();
  const args = sparticuz.args.filter((flag) => !UNREALISTIC_FLAGS.has(flag));
  return chromium.launch({ executablePath, args, headless: true });
}
